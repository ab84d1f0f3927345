"""Quiz widgets with instant feedback; the grading is a plain function so it can be tested."""

from dataclasses import dataclass

import ipywidgets as widgets


def grade_choices(selected, correct, options):
    """Grade a multi-select answer: return ``(ok, message)`` naming what was missed or wrongly picked."""
    unknown = set(selected) - set(options)
    if unknown:
        raise ValueError(f"selected options {sorted(unknown)} are not among the quiz options {list(options)}")
    if set(correct) - set(options):
        raise ValueError("every correct answer must be one of the options")
    selected, correct = set(selected), set(correct)
    if not selected:
        return False, "Pick at least one option, then press Check."
    missed = [o for o in options if o in correct - selected]
    wrong = [o for o in options if o in selected - correct]
    if not missed and not wrong:
        return True, f"✅ Correct: all {len(correct)} right answers and nothing else."
    parts = []
    if wrong:
        parts.append("not right: " + "; ".join(wrong))
    if missed:
        parts.append(f"you missed {len(missed)} right answer(s)")
    return False, "❌ " + " — ".join(parts) + "."


def multi_choice(question, options, correct, explanation=""):
    """A checkbox quiz with a Check button; the feedback line appears under it."""
    if not options or len(set(options)) != len(options):
        raise ValueError("options must be a non-empty list of distinct strings")
    boxes = [widgets.Checkbox(value=False, description=o, indent=False,
                              layout=widgets.Layout(width="auto")) for o in options]
    button = widgets.Button(description="Check", button_style="primary")
    feedback = widgets.HTML()

    def on_click(_):
        picked = [b.description for b in boxes if b.value]
        ok, message = grade_choices(picked, correct, options)
        if ok and explanation:
            message += " " + explanation
        feedback.value = f"<b>{message}</b>"

    button.on_click(on_click)
    box = widgets.VBox([widgets.HTML(f"<b>{question}</b>"), *boxes, button, feedback])
    box.check = on_click  # lets tests press the button without a browser
    box.feedback = feedback
    box.boxes = boxes
    return box


def single_choice(question, options, correct, explanations=None):
    """A radio-button quiz: each option may carry its own explanation shown after checking."""
    if correct not in options:
        raise ValueError(f"the correct answer {correct!r} must be one of the options {list(options)}")
    explanations = explanations or {}
    radio = widgets.RadioButtons(options=list(options), value=None, layout=widgets.Layout(width="auto"))
    button = widgets.Button(description="Check", button_style="primary")
    feedback = widgets.HTML()

    def on_click(_):
        if radio.value is None:
            feedback.value = "<b>Pick an option, then press Check.</b>"
            return
        mark = "✅ Correct." if radio.value == correct else "❌ Not quite."
        feedback.value = f"<b>{mark} {explanations.get(radio.value, '')}</b>"

    button.on_click(on_click)
    box = widgets.VBox([widgets.HTML(f"<b>{question}</b>"), radio, button, feedback])
    box.check = on_click
    box.feedback = feedback
    box.radio = radio
    return box


@dataclass(frozen=True)
class Question:
    """One questionnaire question: its text, the options, the right options and why they are right."""

    text: str
    options: tuple
    correct: tuple
    explanation: str = ""

    def __post_init__(self):
        if not self.text or not self.options or not self.correct:
            raise ValueError("a Question needs a text, options and at least one correct option")
        if set(self.correct) - set(self.options):
            raise ValueError(f"{self.text!r}: every correct answer must be one of the options {list(self.options)}")


def questionnaire(questions, title="Check your understanding"):
    """A numbered list of checkbox questions, each with its own Check button and instant feedback."""
    if not questions or not all(isinstance(q, Question) for q in questions):
        raise ValueError("questionnaire() needs a non-empty list of utils.quiz.Question")
    quizzes = [multi_choice(f"{i}. {q.text}", list(q.options), list(q.correct), q.explanation)
               for i, q in enumerate(questions, start=1)]
    box = widgets.VBox([widgets.HTML(f"<h3>{title}</h3><i>Tick every right answer, then press Check.</i>"),
                        *quizzes])
    box.quizzes = quizzes
    return box


def questionnaire_markdown(questions, start=1):
    """The questions and their options as Markdown, for slides and print (no answers); numbered from ``start``, so a
    long questionnaire can be shown in parts on several slides."""
    lines = []
    for i, q in enumerate(questions, start=start):
        lines.append(f"{i}. {q.text}")
        lines += [f"    - {option}" for option in q.options]
    return "\n".join(lines)

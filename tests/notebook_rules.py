"""The rules a lesson notebook must follow (CONTRIBUTING.md), read from its structure, not counted as text.

Each rule takes a ``Lesson`` and returns a list of problems (empty when the lesson follows it), so that
``tests/test_notebook_hygiene.py`` can hold every lesson to it and ``tests/test_notebook_rules.py`` can show, with a
small crafted notebook per hole, that the rule rejects what it should.
"""

import ast
import base64
import importlib
import json
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

NAME = re.compile(r"^(\d\d)_([a-z0-9]+(?:_[a-z0-9]+)*)\.ipynb$")
SLIDE_TYPES = {"slide", "subslide", "fragment", "skip", "notes", "-"}
# paths of an author's machine: home folders, mounts, macOS temporary folders, ~/, Windows user folders
ABSOLUTE_PATH = re.compile(r"(/home/\w|/root/|/work/|/Users/\w|/opt/|/mnt/|/private/var/|/var/folders/|~/"
                           r"|[A-Za-z]:(\\\\)+(Users|Program Files)|/tmp/(?!ipykernel))")
ERROR_TEXT = re.compile(r"Traceback \(most recent call last\)|^\s*(<[^>]+>\s*)*(\w+\.)*\w*(Error|Exception):|"
                        r"class=\"[^\"]*(ansi-red|traceback|error)[^\"]*\"", re.M)
IMAGE_LIMIT = 1_000_000          # bytes of one stored image output
QUESTIONS_RANGE = (5, 10)        # a lesson's questionnaire (issue #18)
GIVEAWAY_CODE = 16               # characters of a solution's code (spaces removed) that must not show in a student cell
PLACEHOLDER_MESSAGE = re.compile(r"^.*no answer yet.*$", re.M)
TEXT_TYPES = ("text/plain", "text/html", "text/markdown", "text/latex", "application/json")


def text(value):
    """Join a notebook string field that may be stored as a list of lines."""
    return "".join(value) if isinstance(value, list) else value


def source(cell):
    return text(cell.get("source", ""))


def heading_lines(cell):
    """The heading lines (``# ...``) of a markdown cell, without the hashes."""
    if cell["cell_type"] != "markdown":
        return []
    return [line.lstrip("#").strip() for line in source(cell).splitlines() if re.match(r"#{1,6}\s", line)]


@dataclass
class Lesson:
    """A notebook read from disk (or built in a test), with the questionnaire of its answer-key module."""

    path: Path
    nb: dict
    raw: str = ""
    questions: object = field(default=None)   # list of utils.quiz.Question, or None when the module has none

    @classmethod
    def read(cls, path):
        raw = Path(path).read_text(encoding="utf-8")
        return cls(Path(path), json.loads(raw), raw, lesson_questions(path))

    @property
    def name(self):
        return self.path.name

    @property
    def number(self):
        m = NAME.match(self.name)
        return m.group(1) if m else None

    @property
    def cells(self):
        return self.nb["cells"]


def lesson_questions(path):
    """The ``QUESTIONS`` of ``utils/exercises/<topic>.py`` for ``notebooks/NN_<topic>.ipynb``; None when missing."""
    m = NAME.match(Path(path).name)
    if not m:
        return None
    try:
        module = importlib.import_module(f"utils.exercises.{m.group(2)}")
    except ModuleNotFoundError as err:
        if err.name and err.name.startswith("utils.exercises"):
            return None
        raise
    return getattr(module, "QUESTIONS", None)


# ------------------------------------------------------------------------------------------------ sections
def sections(lesson, word):
    """{N: [cell indices]} for every markdown heading ``Exercise N`` / ``Solution N``: the cells up to the next heading."""
    found = {}
    cells = lesson.cells
    for i, cell in enumerate(cells):
        for head in heading_lines(cell):
            m = re.match(rf"{word} (\d+)\b", head)
            if m:
                j = i + 1
                while j < len(cells) and not heading_lines(cells[j]):
                    j += 1
                found.setdefault(m.group(1), list(range(i + 1, j)))
    return found


def parse(code):
    """The AST of a code cell with IPython magics and shell lines blanked out; None if it does not parse."""
    lines = ["" if line.lstrip().startswith(("%", "!")) else line for line in code.splitlines()]
    try:
        return ast.parse("\n".join(lines))
    except SyntaxError:
        return None


def call_name(call):
    """``check_x`` for ``check_x(...)`` and ``exercises.check_x(...)``."""
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def check_calls(tree):
    """Names of the ``check_*`` functions a cell calls."""
    return {call_name(n) for n in ast.walk(tree) if isinstance(n, ast.Call) and (call_name(n) or "").startswith("check")}


def executed_statements(body):
    """Statements that run when the cell runs: top level and inside for/while/with/try, not in if, def or class."""
    for stmt in body:
        yield stmt
        if isinstance(stmt, (ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith)):
            yield from executed_statements(stmt.body)
        elif isinstance(stmt, ast.Try):
            yield from executed_statements(stmt.body)


def asserted_checks(tree):
    """Names of the checks a cell really asserts (``assert check_x(...)`` that runs)."""
    names = set()
    for stmt in executed_statements(tree.body):
        if isinstance(stmt, ast.Assert):
            names |= check_calls(stmt.test)
    return names


def has_placeholder(tree):
    """Does a student cell still hold ``x = None``, ``x = ...``, a function that does ``return None`` (or ``...``)
    or ``raise NotImplementedError``?"""
    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.Return)) and isinstance(node.value, ast.Constant) \
                and node.value.value in (None, Ellipsis):
            return True
        if isinstance(node, ast.Raise) and node.exc is not None:
            exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if isinstance(exc, ast.Name) and exc.id == "NotImplementedError":
                return True
    return False


def output_text(cell):
    """Everything a cell's stored outputs show as text."""
    parts = []
    for out in cell.get("outputs", []):
        if out["output_type"] == "stream":
            parts.append(text(out["text"]))
        elif out["output_type"] == "error":
            parts.append("\n".join(out.get("traceback", [])))
        else:
            parts += [text(v) if not isinstance(v, dict) else json.dumps(v)
                      for k, v in out.get("data", {}).items() if k in TEXT_TYPES]
    return "\n".join(parts)


# ------------------------------------------------------------------------------------------------ rules
def rule_name(lesson):
    if NAME.match(lesson.name):
        return []
    return [f"name notebooks NN_topic.ipynb (two digits, lowercase words), not {lesson.name}"]


def rule_executed(lesson):
    counts = [c.get("execution_count") for c in lesson.cells if c["cell_type"] == "code"]
    if counts == list(range(1, len(counts) + 1)):
        return []
    return [f"execution counts are {counts}; re-run it top to bottom in a fresh kernel"]


def rule_no_errors(lesson):
    problems = []
    for i, cell in enumerate(lesson.cells):
        for out in cell.get("outputs", []):
            if out["output_type"] == "error":
                problems.append(f"cell {i} stores an error: {out.get('ename')}")
            elif out["output_type"] == "stream" and "Traceback" in text(out["text"]):
                problems.append(f"cell {i} prints a traceback")
    return problems


def rule_no_stderr(lesson):
    """Warnings and log lines on stderr differ between machines and under nbval: fix or silence them at the source."""
    return [f"cell {i} stores stderr output: {text(out['text'])[:120]!r}"
            for i, cell in enumerate(lesson.cells) for out in cell.get("outputs", [])
            if out["output_type"] == "stream" and out.get("name") == "stderr"]


def rule_no_error_display(lesson):
    """An error shown through display()/HTML/a cell's value is still an error (print taught errors on stdout)."""
    problems = []
    for i, cell in enumerate(lesson.cells):
        for out in cell.get("outputs", []):
            if out["output_type"] in ("display_data", "execute_result"):
                for kind, value in out.get("data", {}).items():
                    if kind in TEXT_TYPES and ERROR_TEXT.search(text(value) if not isinstance(value, dict) else ""):
                        problems.append(f"cell {i} displays error text in its {kind} output")
    return problems


def rule_title(lesson):
    first = lesson.cells[0] if lesson.cells else {"cell_type": None}
    if first["cell_type"] == "markdown" and source(first).startswith("# "):
        return []
    return ["the first cell must be a markdown title ('# NN · Title')"]


def rule_learning_goals(lesson):
    """A 'Learning goals' heading followed by at least two goals (list items) before the next heading."""
    for i, cell in enumerate(lesson.cells):
        lines = source(cell).splitlines() if cell["cell_type"] == "markdown" else []
        for k, line in enumerate(lines):
            if re.match(r"#{1,6}\s+learning goals", line, re.I):
                body = lines[k + 1:]
                for nxt in lesson.cells[i + 1:]:
                    if heading_lines(nxt) or nxt["cell_type"] != "markdown":
                        break
                    body += source(nxt).splitlines()
                goals = [b for b in body if re.match(r"\s*(\d+[.)]|[-*+])\s+\S", b)]
                return [] if len(goals) >= 2 else [f"'Learning goals' lists {len(goals)} goals: list at least two"]
    return ["add a '## Learning goals' cell"]


def rule_summary(lesson):
    heads = [h.lower() for c in lesson.cells for h in heading_lines(c)]
    return [] if any(h.startswith("summary") for h in heads) else ["add a '## Summary' heading"]


def rule_slides(lesson):
    problems = []
    for i, cell in enumerate(lesson.cells):
        kind = cell.get("metadata", {}).get("slideshow", {}).get("slide_type")
        if kind not in SLIDE_TYPES:
            problems.append(f"cell {i}: set metadata.slideshow.slide_type (got {kind!r})")
    if lesson.cells and lesson.cells[0].get("metadata", {}).get("slideshow", {}).get("slide_type") != "slide":
        problems.append("the title cell opens a slide")
    return problems


def rule_no_absolute_paths(lesson):
    raw = lesson.raw or json.dumps(lesson.nb, indent=1)
    return [f"stores an absolute path from the author's machine near {raw[max(0, m.start() - 40):m.end() + 40]!r}"
            for m in ABSOLUTE_PATH.finditer(raw)][:3]


def rule_image_size(lesson):
    """A stored image over IMAGE_LIMIT bytes bloats the repository and the slides: draw it smaller or as JPEG."""
    problems = []
    for i, cell in enumerate(lesson.cells):
        for out in cell.get("outputs", []):
            for kind, value in out.get("data", {}).items():
                if kind.startswith("image/"):
                    data = text(value)
                    size = len(data.encode()) if kind == "image/svg+xml" else len(base64.b64decode(data))
                    if size > IMAGE_LIMIT:
                        problems.append(f"cell {i} stores a {kind} of {size / 1e6:.1f} MB (limit {IMAGE_LIMIT / 1e6:.0f} MB)")
    return problems


def rule_no_widget_state(lesson):
    """Widget state is machine-specific noise (execute with --ExecutePreprocessor.store_widget_state=False)."""
    state = lesson.nb.get("metadata", {}).get("widgets")
    if state:
        return [f"stores {len(json.dumps(state)) / 1e3:.0f} kB of widget state in metadata.widgets: "
                "execute with --ExecutePreprocessor.store_widget_state=False"]
    return []


def _student_cells(lesson, n, exercises):
    return [i for i in exercises.get(n, []) if lesson.cells[i]["cell_type"] == "code"]


def rule_exercises(lesson):
    """At least two exercises (not in 00), numbered like the solutions, each with a cell that calls a check."""
    exercises, solutions = sections(lesson, "Exercise"), sections(lesson, "Solution")
    problems = []
    if lesson.number != "00" and len(exercises) < 2:
        problems.append(f"needs at least two '### Exercise N' sections, found {sorted(exercises)}")
    if sorted(exercises) != sorted(solutions):
        problems.append(f"exercises {sorted(exercises)} but solutions {sorted(solutions)}")
    for n in exercises:
        trees = [parse(source(lesson.cells[i])) for i in _student_cells(lesson, n, exercises)]
        if not any(t is not None and check_calls(t) for t in trees):
            problems.append(f"Exercise {n}: no code cell under its heading calls a check (check_... or exercises.check_...)")
    return problems


def rule_solutions_checked(lesson):
    """Solution N's own cells (after its heading) assert, in a statement that runs, the check that exercise N calls."""
    exercises, solutions = sections(lesson, "Exercise"), sections(lesson, "Solution")
    problems = []
    for n, cells in solutions.items():
        wanted = set()
        for i in _student_cells(lesson, n, exercises):
            tree = parse(source(lesson.cells[i]))
            wanted |= check_calls(tree) if tree else set()
        asserted = set()
        for i in cells:
            cell = lesson.cells[i]
            if cell["cell_type"] != "code" or "NBVAL_SKIP" in source(cell) or cell.get("execution_count") is None:
                continue
            tree = parse(source(cell))
            asserted |= asserted_checks(tree) if tree else set()
        if not wanted:
            problems.append(f"Solution {n}: exercise {n} calls no check to assert")
        elif not asserted & wanted:
            problems.append(f"Solution {n}: no executed `assert {sorted(wanted)[0]}(...)` in the cells after its "
                            f"heading (asserted: {sorted(asserted) or 'nothing'})")
    return problems


def rule_student_cells_open(lesson):
    """The student's cell still holds the placeholder (None, ... or raise NotImplementedError), not the answer."""
    exercises = sections(lesson, "Exercise")
    problems = []
    for n in exercises:
        trees = [parse(source(lesson.cells[i])) for i in _student_cells(lesson, n, exercises)]
        if not any(t is not None and has_placeholder(t) for t in trees):
            problems.append(f"Exercise {n}: the student's cell holds no `None`, `...` or `raise NotImplementedError`: "
                            "leave the answer to the student (it belongs in Solutions)")
    return problems


class _Safe(ast.NodeVisitor):
    """Accept only literals, containers and arithmetic."""

    OK = (ast.Expression, ast.Constant, ast.Tuple, ast.List, ast.Set, ast.BinOp, ast.UnaryOp, ast.Load,
          ast.operator, ast.unaryop)

    def generic_visit(self, node):
        if not isinstance(node, self.OK):
            raise ValueError(type(node).__name__)
        super().generic_visit(node)


def literal_value(node):
    """The value of a literal or arithmetic expression (``(5 * 5 * 3 + 1) * 64``), else raise ValueError."""
    expr = ast.Expression(node)
    _Safe().visit(expr)
    return eval(compile(expr, "<answer>", "eval"), {"__builtins__": {}})  # noqa: S307 - only literals and arithmetic


def solution_answers(trees):
    """Values of the names that the solution's asserted checks receive first, when they are literals or arithmetic."""
    assigned, first_args = {}, []
    for tree in trees:
        for stmt in executed_statements(tree.body):
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
                assigned[stmt.targets[0].id] = stmt.value
            if isinstance(stmt, ast.Assert):
                first_args += [c.args[0] for c in ast.walk(stmt.test) if isinstance(c, ast.Call) and c.args
                               and (call_name(c) or "").startswith("check")]
    values = []
    for arg in first_args:
        node = assigned.get(arg.id) if isinstance(arg, ast.Name) else arg
        try:
            values.append(literal_value(node))
        except (ValueError, TypeError, SyntaxError, ArithmeticError):
            continue
    return values


def _spellings(value):
    """How a value may read in printed text: str and repr, tuples also as lists and the reverse."""
    forms = {str(value), repr(value)}
    if isinstance(value, (tuple, list)):
        forms |= {str(list(value)), str(tuple(value))}
    if isinstance(value, float):
        forms |= {f"{value:.2f}", f"{value:.3g}"}
    return {f for f in forms if len(f) >= 3}


def _squash(code):
    return re.sub(r"\s+", "", code).replace("'", '"')


def rule_no_giveaway(lesson):
    """A stored student cell shows neither the expected value nor the solution's code (issue #18)."""
    exercises, solutions = sections(lesson, "Exercise"), sections(lesson, "Solution")
    problems = []
    for n, cells in solutions.items():
        student = [lesson.cells[i] for i in _student_cells(lesson, n, exercises)]
        shown = PLACEHOLDER_MESSAGE.sub("", "\n".join(output_text(c) for c in student))
        if not shown.strip():
            continue
        code_cells = [lesson.cells[i] for i in cells if lesson.cells[i]["cell_type"] == "code"]
        trees = [t for t in (parse(source(c)) for c in code_cells) if t is not None]
        for value in solution_answers(trees):
            for form in _spellings(value):
                if re.search(rf"(?<![\w.]){re.escape(form)}(?!\w|\.\d)", shown):
                    problems.append(f"Exercise {n}: the student's stored output shows the expected value {form}")
                    break
        given = {line.strip() for c in student for line in source(c).splitlines()}
        code = "\n".join(re.sub(r"#.*", "", line) for c in code_cells for line in source(c).splitlines()
                         if line.strip() not in given and not line.strip().startswith(("assert", "#")))
        a, b = _squash(code), _squash(shown)
        m = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
        if m.size >= GIVEAWAY_CODE:
            problems.append(f"Exercise {n}: the student's stored output shows the solution's code "
                            f"{a[m.a:m.a + m.size]!r}: make the hint conceptual")
    return problems


def rule_questionnaire(lesson):
    """5-10 questions in ``utils/exercises/<topic>.py`` ``QUESTIONS``, shown by a ``questionnaire(...)`` cell."""
    low, high = QUESTIONS_RANGE
    problems = []
    questions = lesson.questions
    if questions is None:
        m = NAME.match(lesson.name)
        return [f"no questionnaire: add QUESTIONS ({low}-{high} utils.quiz.Question) to "
                f"utils/exercises/{m.group(2) if m else '<topic>'}.py"]
    if not low <= len(questions) <= high:
        problems.append(f"the questionnaire has {len(questions)} questions; a lesson asks {low} to {high}")
    shows = any(c["cell_type"] == "code" and re.search(r"\bquestionnaire\(", source(c)) for c in lesson.cells)
    if not shows:
        problems.append("no cell shows the questionnaire: display(questionnaire(exercises.QUESTIONS))")
    return problems


RULES = {name[len("rule_"):]: f for name, f in dict(globals()).items() if name.startswith("rule_")}


def duplicate_numbers(paths):
    """Lesson numbers used by more than one notebook: {number: [names]}."""
    seen = {}
    for p in paths:
        m = NAME.match(Path(p).name)
        if m:
            seen.setdefault(m.group(1), []).append(Path(p).name)
    return {n: names for n, names in seen.items() if len(names) > 1}

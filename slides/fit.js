// Measure every slide of a reveal.js deck exported by slides/export.py (run by slides/fit.py).
// measureDeck() visits each slide and sub-slide with all its fragments shown and returns, in slide
// pixels (the deck's width x height), what sticks out on the right, what a box hides behind a
// scroll bar or a crop, and how tall the content is. Elements are attributed to the notebook cell
// whose node carries data-cell-index.
(() => {
  const TOL = 1;  // px: sub-pixel rounding is not a cut

  function kindOf(el) {
    if (el.closest('.jp-MarkdownCell')) return el.closest('.MathJax_CHTML, .MathJax_Display, mjx-container') ? 'formula' : 'markdown';
    if (el.closest('.jp-InputArea')) return 'code';
    if (el.closest('.jp-OutputArea')) {
      if (el.matches('img, svg, canvas, video') || el.closest('svg')) return 'figure';
      if (el.closest('.jp-RenderedText')) return 'output text';
      return 'output';
    }
    return 'slide';
  }

  function cellOf(el) {
    const slot = el.closest('[data-cell-index], [data-windowed-list-index]');  // the latter: JupyterLab (RISE)
    return slot ? Number(slot.dataset.cellIndex ?? slot.dataset.windowedListIndex) : null;
  }

  function shown(el, style) {
    return style.display !== 'none' && style.visibility !== 'hidden' && !el.closest('aside.notes');
  }

  // Measured as a whole: graphics, and typeset formulas (MathJax clips the pieces of tall brackets by design).
  const GRAPHIC = 'img, svg, canvas, video, iframe, object, embed, input, textarea, .MathJax_CHTML, .MathJax_SVG, mjx-container';

  // The visible part of el's ancestors up to the slide: the tightest box that scrolls or crops;
  // null for text only screen readers get (MathJax's assistive MathML, clipped to nothing).
  function visibleBox(el, slide, styles) {
    let right = Infinity, bottom = Infinity;
    for (let a = el; a; a = a.parentElement) {
      const style = styles(a);
      if (style.clip !== 'auto' && style.position === 'absolute' || style.clipPath !== 'none') return null;
      if (a === el) continue;
      if (style.overflowX !== 'visible' || style.overflowY !== 'visible') {
        const r = a.getBoundingClientRect(), k = r.width / (a.offsetWidth || 1);
        if (style.overflowX !== 'visible') right = Math.min(right, r.left + (a.clientLeft + a.clientWidth) * k);
        if (style.overflowY !== 'visible') bottom = Math.min(bottom, r.top + (a.clientTop + a.clientHeight) * k);
      }
      if (a === slide) break;
    }
    return {right, bottom};
  }

  // What is cut in one slide: content (text, images, formulas) right of the slide edge or outside the
  // visible part of a box that scrolls or crops it, and boxes that show a scroll bar.
  function measureSlide(slide, W, H, frame) {
    const minText = parseFloat(getComputedStyle(document.documentElement).getPropertyValue('--deck-small')) || 16;
    const fr = frame.getBoundingClientRect();
    const k = fr.width / W;  // reveal.js scale
    const x = v => (v - fr.left) / k, y = v => (v - fr.top) / k;
    const cache = new Map();
    const styles = el => cache.get(el) || cache.set(el, getComputedStyle(el)).get(el);
    const cuts = [];
    const add = (el, side, how, px) => cuts.push({cell: cellOf(el), kind: kindOf(el), side, how, px: Math.round(px * 10) / 10,
                                                   tag: el.nodeName.toLowerCase()});
    let bottom = 0;
    const ends = new Map();  // cell index -> bottom of its content
    const content = (el, r) => {  // r: the rect of el's text or of el itself
      if (r.width === 0 && r.height === 0) return;
      const box = visibleBox(el, slide, styles);
      if (!box) return;
      if (x(r.right) > W + TOL) add(el, 'right', 'past the slide edge', x(r.right) - W);
      else if (r.right > box.right + TOL * k) add(el, 'right', 'hidden in its box', (r.right - box.right) / k);
      if (r.bottom > box.bottom + TOL * k) add(el, 'bottom', 'hidden in its box', (r.bottom - box.bottom) / k);
      bottom = Math.max(bottom, y(r.bottom));
      const cell = cellOf(el);
      ends.set(cell, Math.max(ends.get(cell) || -Infinity, y(r.bottom)));
    };
    const range = document.createRange();
    for (const el of slide.querySelectorAll('*')) {
      const style = styles(el);
      if (!shown(el, style) || el.parentElement.closest(GRAPHIC)) continue;
      if (el.matches(GRAPHIC)) content(el, el.getBoundingClientRect());
      else {
        for (const node of el.childNodes) {
          if (node.nodeType !== Node.TEXT_NODE || !node.textContent.trim()) continue;
          range.selectNodeContents(node);
          content(el, range.getBoundingClientRect());
          if (parseFloat(style.fontSize) < minText - 0.01) add(el, 'small', 'text smaller than the minimum', parseFloat(style.fontSize));
        }
      }
      // a box that shows a scroll bar
      if (/auto|scroll/.test(style.overflowX) && el.scrollWidth > el.clientWidth + TOL) add(el, 'right', 'scroll bar', el.scrollWidth - el.clientWidth);
      if (/auto|scroll/.test(style.overflowY) && el.scrollHeight > el.clientHeight + TOL) add(el, 'bottom', 'scroll bar', el.scrollHeight - el.clientHeight);
    }
    const cells = [];
    for (const slot of slide.querySelectorAll('[data-cell-index]')) {
      if (slot.closest('aside.notes') || slot.closest('section') !== slide) continue;
      const r = slot.getBoundingClientRect();
      const part = sel => Array.from(slot.querySelectorAll(sel)).reduce((s, e) => s + e.getBoundingClientRect().height / k, 0);
      cells.push({cell: Number(slot.dataset.cellIndex), top: Math.round(y(r.top)),
                  bottom: Math.round(ends.has(Number(slot.dataset.cellIndex)) ? ends.get(Number(slot.dataset.cellIndex)) : y(r.bottom)),
                  code: Math.round(part('.jp-InputArea')), output: Math.round(part('.jp-OutputArea')),
                  figures: Array.from(slot.querySelectorAll('.jp-OutputArea img')).map(i => Math.round(i.getBoundingClientRect().height / k))});
    }
    return {cuts, cells, height: Math.round(bottom)};
  }

  function title(slide) {
    const h = slide.querySelector('h1, h2, h3, h4');
    return h ? h.textContent.replace(/¶/g, '').trim() : '';
  }

  // How many characters fit on one line of the first box matching `selector` on the current slide.
  function lineWidth(selector) {
    const box = Array.from(Reveal.getCurrentSlide().querySelectorAll(selector))
      .find(el => el.clientWidth > 0 && !el.closest('aside.notes'));
    if (!box) return null;
    const style = getComputedStyle(box);
    const probe = document.createElement('span');
    probe.style.cssText = 'position:absolute;visibility:hidden;white-space:pre;font:inherit';
    probe.textContent = 'M'.repeat(100);
    box.appendChild(probe);
    const char = probe.getBoundingClientRect().width / 100 / (box.getBoundingClientRect().width / box.offsetWidth || 1);
    probe.remove();
    const inner = box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return {chars: Math.floor(inner / char), char_px: +char.toFixed(2), font_px: parseFloat(style.fontSize),
            line_px: parseFloat(style.lineHeight) || null, family: style.fontFamily, box_px: Math.round(inner)};
  }

  // Wait until the deck has re-rendered the slide's math and fitted its figures (both queued on slidechanged).
  const settled = () => new Promise(done => (window.MathJax && MathJax.Hub ? MathJax.Hub.Queue(done) : done()));

  // Show slide h/v in its final state: every fragment shown, every <details> open, no transitions.
  window.fitVisit = async function (h, v) {
    if (!document.getElementById('fit-still')) {
      Reveal.configure({transition: 'none', backgroundTransition: 'none'});
      const still = document.createElement('style');
      still.id = 'fit-still';
      still.textContent = '.reveal * { transition: none !important; animation: none !important; }';
      document.head.appendChild(still);
      document.querySelectorAll('.reveal details').forEach(d => { d.open = true; });
    }
    Reveal.slide(h, v, 1e6);
    await settled();
    return Reveal.getCurrentSlide();
  };

  window.fitMeasureSlide = measureSlide;

  window.measureDeck = async function () {
    const config = Reveal.getConfig();
    const W = config.width, H = config.height;
    const frame = document.querySelector('.reveal .slides');
    const slides = [];
    let code = null, output = null;
    for (const [n, slide] of Reveal.getSlides().entries()) {
      const {h, v} = Reveal.getIndices(slide);
      await fitVisit(h, v);
      slides.push({n, h, v, title: title(slide), ...measureSlide(slide, W, H, frame)});
      code = code || lineWidth('.jp-CodeCell .jp-InputArea-editor pre');
      output = output || lineWidth('.jp-OutputArea-output.jp-RenderedText > pre');
    }
    const minText = parseFloat(getComputedStyle(document.documentElement).getPropertyValue('--deck-small')) || 16;
    return JSON.stringify({width: W, height: H, min_text: minText, code, output, slides});
  };
})();

// Figures shrink to the height a slide has left (slides/export.py inlines this into each deck).
// A slide whose content is taller than the deck gets its output images scaled down together, if
// that makes it fit with the images at MIN_FIGURE of their size or more (smaller, their labels get
// hard to read). Otherwise they keep their size and slides/fit.py reports the slide as too tall.
// Runs on each slide when it is shown.
(function () {
  var MIN_FIGURE = 0.75;
  var SLACK = 4;  // px kept free at the bottom, against rounding

  // Where the slide's visible content (text, images, formulas) ends, in slide pixels from its top;
  // slides/fit.py measures the same way.
  function contentBottom(slide) {
    var top = slide.closest('.slides').getBoundingClientRect().top, scale = Reveal.getScale() || 1;
    var bottom = top, range = document.createRange();
    var walker = document.createTreeWalker(slide, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      var element = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
      if (element.closest('aside.notes, .MJX_Assistive_MathML')) continue;  // notes; text for screen readers
      var rect = null;
      if (node.nodeType === Node.TEXT_NODE && node.textContent.trim()) {
        range.selectNodeContents(node);
        rect = range.getBoundingClientRect();
      } else if (node.nodeType === Node.ELEMENT_NODE && node.matches('img, svg, canvas, video')) {
        rect = node.getBoundingClientRect();
      }
      if (rect && rect.height > 0) bottom = Math.max(bottom, rect.bottom);
    }
    return (bottom - top) / scale;
  }

  function fitFigures(slide) {
    if (!slide) return;
    var images = Array.prototype.slice.call(slide.querySelectorAll('.jp-OutputArea img'));
    if (!images.length) return;
    if (images.some(function (img) { return !img.complete; })) {
      images.forEach(function (img) { img.addEventListener('load', function () { fitFigures(slide); }, {once: true}); });
      return;
    }
    images.forEach(function (img) { img.style.maxHeight = ''; });
    var natural = images.map(function (img) { return img.offsetHeight; });
    var height = Reveal.getConfig().height;
    var scale = 1;
    for (var pass = 0; pass < 3; pass++) {  // text may re-wrap beside a smaller image: check again
      var over = contentBottom(slide) - (height - SLACK);
      if (over <= 0) return;
      var total = natural.reduce(function (a, b) { return a + b; }, 0) * scale;
      scale *= (total - over) / total;
      if (scale < MIN_FIGURE) {  // shrinking would not make it fit: keep the size, the slide must be split
        images.forEach(function (img) { img.style.maxHeight = ''; });
        return;
      }
      images.forEach(function (img, i) { img.style.maxHeight = Math.floor(natural[i] * scale) + 'px'; });
    }
  }

  window.fitFigures = fitFigures;
})();

// Figures shrink to the height a slide has left (slides/export.py inlines this into each deck).
// A slide whose content is taller than the deck gets its output images scaled down together, to no
// less than MIN_FIGURE of their size (smaller, their labels get hard to read); whatever still does
// not fit is reported by slides/fit.py. Runs on each slide when it is shown.
(function () {
  var MIN_FIGURE = 0.75;

  function fitFigures(slide) {
    if (!slide) return;
    var images = Array.prototype.slice.call(slide.querySelectorAll('.jp-OutputArea img'));
    if (!images.length) return;
    if (images.some(function (img) { return !img.complete; })) {
      images.forEach(function (img) { img.addEventListener('load', function () { fitFigures(slide); }, {once: true}); });
      return;
    }
    images.forEach(function (img) { img.style.maxHeight = ''; });
    var over = slide.offsetHeight - Reveal.getConfig().height;
    if (over <= 0) return;
    var heights = images.map(function (img) { return img.offsetHeight; });
    var total = heights.reduce(function (a, b) { return a + b; }, 0);
    var scale = Math.max(MIN_FIGURE, (total - over) / total);
    images.forEach(function (img, i) { img.style.maxHeight = Math.floor(heights[i] * scale) + 'px'; });
  }

  window.fitFigures = fitFigures;
})();

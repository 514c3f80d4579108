/* Draws the guide's state diagrams with the vendored Mermaid (assets/vendor/mermaid).
 *
 * The page carries each diagram as escaped Mermaid source in a
 * <pre class="tic-state-diagram">; the class is deliberately not "mermaid",
 * which Material would pick up and fetch Mermaid from a CDN for. The source
 * comes from the process engine, not from registry data, and Mermaid still
 * runs with securityLevel "strict".
 *
 * Mermaid is large (3.5 MB) and drawing takes a second or more on a slow
 * machine, so it is loaded (from the local copy named by this script tag's
 * data-mermaid attribute) and run only when a diagram comes near the
 * viewport: opening the guide stays fast. Without JavaScript, or if drawing
 * fails, the source stays visible, and the transition tables say the same.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var mermaidUrl = script ? script.getAttribute("data-mermaid") : null;
  var loading = null;
  var drawn = 0;

  function loadMermaid() {
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        if (window.mermaid) {
          resolve(window.mermaid);
          return;
        }
        var tag = document.createElement("script");
        tag.src = mermaidUrl;
        tag.onload = function () { resolve(window.mermaid); };
        tag.onerror = reject;
        document.head.appendChild(tag);
      }).then(function (mermaid) {
        mermaid.initialize({
          startOnLoad: false,
          securityLevel: "strict",
          theme: "neutral",
          fontFamily: "inherit",
          state: { useMaxWidth: true }
        });
        return mermaid;
      });
    }
    return loading;
  }

  function draw(pre) {
    loadMermaid()
      .then(function (mermaid) {
        drawn += 1;
        return mermaid.render("tic-state-diagram-" + drawn, pre.textContent);
      })
      .then(function (result) {
        var holder = document.createElement("div");
        holder.className = "tic-state-diagram-svg";
        holder.innerHTML = result.svg;
        pre.parentNode.insertBefore(holder, pre);
        pre.hidden = true;
      })
      .catch(function () {
        /* Keep the source visible: the table below the figure is the fallback. */
      });
  }

  function start() {
    var blocks = Array.prototype.slice.call(document.querySelectorAll("pre.tic-state-diagram"));
    if (blocks.length === 0 || !mermaidUrl) {
      return;
    }
    if (!("IntersectionObserver" in window)) {
      blocks.forEach(draw);
      return;
    }
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) {
          observer.unobserve(entry.target);
          draw(entry.target);
        }
      });
    }, { rootMargin: "300px 0px" });
    blocks.forEach(function (pre) { observer.observe(pre); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

// communique explorer: draws the page's charts and links each record to its words in the text.
// Our own code only; Vega comes from /assets/vega.js (the vl-convert-python bundle).
"use strict";

function drawCharts() {
  document.querySelectorAll(".chart[data-spec]").forEach((el) => {
    const source = document.getElementById("spec-" + el.dataset.spec);
    if (!source || typeof window.vegaEmbed !== "function") {
      el.textContent = "This chart needs /assets/vega.js, which did not load.";
      return;
    }
    const spec = JSON.parse(source.textContent);
    window
      .vegaEmbed(el, spec, { actions: false, renderer: "svg", tooltip: true })
      .then(() => { el.dataset.rendered = "true"; })
      .catch((error) => {
        el.dataset.rendered = "error";
        el.textContent = "The chart could not be drawn: " + error;
      });
  });
}

function selectEvent(id, scroll) {
  document.querySelectorAll(".doctext [data-events]").forEach((span) => {
    const ids = span.dataset.events.split(" ");
    span.classList.toggle("lit", ids.includes(id));
  });
  document.querySelectorAll(".record").forEach((card) => {
    card.classList.toggle("active", card.dataset.event === id);
  });
  const first = document.querySelector(".doctext .lit");
  if (scroll && first) first.scrollIntoView({ block: "center" });
}

function linkRecords() {
  document.querySelectorAll(".record").forEach((card) => {
    card.addEventListener("click", (event) => {
      if (event.target.closest("a")) return;
      selectEvent(card.dataset.event, true);
    });
  });
  document.querySelectorAll(".doctext [data-events]").forEach((span) => {
    span.addEventListener("click", () => {
      const ids = span.dataset.events.split(" ").filter(Boolean);
      if (!ids.length) return;
      selectEvent(ids[0], false);
      const card = document.getElementById("record-" + ids[0]);
      if (card) card.scrollIntoView({ block: "nearest" });
    });
  });
  const lit = document.querySelector(".doctext .lit, .doctext .m-sentence");
  if (lit) lit.scrollIntoView({ block: "center" });
  const active = document.querySelector(".record.active");
  if (active) active.scrollIntoView({ block: "nearest" });
}

document.addEventListener("DOMContentLoaded", () => {
  drawCharts();
  linkRecords();
});

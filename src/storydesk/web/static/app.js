// storydesk: the little interaction the pages need. No data is ever written as HTML here:
// only textContent and attributes are set.
"use strict";

function autosubmitFilters() {
  for (const select of document.querySelectorAll("select[data-autosubmit]")) {
    select.addEventListener("change", () => select.form.requestSubmit());
  }
}

// Flash the highlight a quote or fact link jumps to, also when it is already the :target.
function flashJumpTargets() {
  document.addEventListener("click", (event) => {
    const link = event.target.closest("a.jump");
    if (!link) return;
    const anchor = document.getElementById(link.getAttribute("href").slice(1));
    const mark = anchor && anchor.nextElementSibling;
    if (!mark) return;
    mark.classList.remove("flash");
    void mark.offsetWidth; // restart the outline when the same link is clicked again
    mark.classList.add("flash");
    setTimeout(() => mark.classList.remove("flash"), 1600);
  });
}

// Check the chosen files against the server's limits before a long upload, and show progress.
function guardIngestForm() {
  const form = document.getElementById("ingest-form");
  if (!form) return;
  const input = form.querySelector("input[type=file]");
  const summary = document.getElementById("file-summary");
  const button = form.querySelector("button[type=submit]");
  const maxFiles = Number(input.dataset.maxFiles);
  const maxBytes = Number(input.dataset.maxMib) * 1024 * 1024;
  const problem = () => {
    const files = Array.from(input.files);
    if (files.length > maxFiles) return `Choose at most ${maxFiles} files.`;
    const big = files.find((f) => f.size > maxBytes);
    return big ? `${big.name} is larger than ${input.dataset.maxMib} MiB.` : "";
  };
  input.addEventListener("change", () => {
    const files = Array.from(input.files);
    const total = files.reduce((n, f) => n + f.size, 0);
    summary.textContent = problem() || (files.length ? `${files.length} file(s), ${(total / 1024).toFixed(1)} KiB` : "");
  });
  form.addEventListener("submit", (event) => {
    const message = problem();
    if (message) {
      event.preventDefault();
      summary.textContent = message;
      return;
    }
    button.disabled = true;
    button.textContent = "Ingesting… (analysis takes a few seconds per article)";
  });
}

document.addEventListener("DOMContentLoaded", () => {
  autosubmitFilters();
  flashJumpTargets();
  guardIngestForm();
});

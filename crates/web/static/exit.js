// Quick exit: leave for a neutral site and replace this page in the history, so the back
// button does not return here. Without JavaScript the link still leaves (history stays).
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("a[data-exit]");
  if (!link) return;
  event.preventDefault();
  window.location.replace(link.href);
});
// Esc leaves too, except while an input method is composing: there Esc cancels the
// conversion of what the person is typing (isComposing; keyCode 229 in older browsers).
document.addEventListener("keydown", function (event) {
  if (event.key !== "Escape" || event.isComposing || event.keyCode === 229) return;
  var link = document.querySelector("a[data-exit]");
  if (link) window.location.replace(link.href);
});

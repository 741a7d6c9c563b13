// Every visible button, radio and checkbox of the page, with the size of what a finger
// hits: a button's own box; for a radio or checkbox, the label that activates it, and
// whether its text is beside the box (the box's middle within the label's height).
() => {
  const found = [];
  const visible = (el) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0
      && getComputedStyle(el).visibility !== "hidden";
  };
  const name = (el) => (el.innerText || el.value || el.getAttribute("aria-label")
    || el.name || el.outerHTML.slice(0, 60)).trim().slice(0, 40);
  const labelOf = (el) => el.closest("label")
    || (el.id && document.querySelector(`label[for="${el.id}"]`));
  const controls = document.querySelectorAll(
    "button, input[type=submit], input[type=button], "
    + "input[type=radio], input[type=checkbox]");
  for (const el of controls) {
    if (!visible(el)) continue;
    const box = el.getBoundingClientRect();
    if (el.type !== "radio" && el.type !== "checkbox") {
      found.push({name: name(el), width: box.width, height: box.height, beside: true});
      continue;
    }
    const label = labelOf(el);
    if (!label) {
      found.push({name: name(el), width: 0, height: 0, beside: false});
      continue;
    }
    const target = label.getBoundingClientRect();
    const text = label.innerText.trim();
    const middle = (box.top + box.bottom) / 2;
    const beside = text.length > 0 && middle > target.top && middle < target.bottom
      && label.contains(el);
    found.push({name: text.slice(0, 40) || name(el), width: target.width,
                height: target.height, beside: beside});
  }
  return found;
}

/* The assessment form: a gap links to its criterion; open the group it sits in before jumping there. */
document.addEventListener("click", function (event) {
  var link = event.target.closest('a[href^="#crit-"]');
  var target = link && document.querySelector(link.getAttribute("href"));
  var group = target && target.closest(".accordion-collapse");
  if (!group || group.classList.contains("show")) { return; }
  event.preventDefault();
  group.addEventListener("shown.bs.collapse", function () { target.scrollIntoView(); }, {once: true});
  bootstrap.Collapse.getOrCreateInstance(group, {toggle: false}).show();
});

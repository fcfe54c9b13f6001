// 004 §9 as the applicant types: the same conditions the server checks on submit.
(function () {
  "use strict";
  var form = document.getElementById("expert-apply");
  var box = document.getElementById("qualification-check");
  if (!form || !box) { return; }
  function value(name) { var el = form.elements[name]; return el ? el.value.trim() : ""; }
  function birthDate(id) {
    if (!/^\d{17}[\dXx]$/.test(id)) { return null; }
    var d = new Date(+id.slice(6, 10), +id.slice(10, 12) - 1, +id.slice(12, 14));
    return isNaN(d) ? null : d;
  }
  function yearsSince(date, today) {
    var years = today.getFullYear() - date.getFullYear();
    var before = today.getMonth() < date.getMonth() || (today.getMonth() === date.getMonth() && today.getDate() < date.getDate());
    return years - (before ? 1 : 0);
  }
  function check() {
    var today = new Date(), problems = [];
    var born = birthDate(value("id_number"));
    if (born && yearsSince(born, today) >= 70) { problems.push("评价专家须在 70 岁以下（已满 " + yearsSince(born, today) + " 岁）。"); }
    var specialty = parseInt(value("specialty_years") || "0", 10), management = parseInt(value("management_years") || "0", 10);
    var title = value("title"), since = value("title_since") ? new Date(value("title_since")) : null;
    var missing = [];
    if (specialty < 5) { missing.push("从事本专业 5 年以上（填写为 " + specialty + " 年）"); }
    if (title !== "senior" && title !== "associate") { missing.push("具有副高级及以上专业技术职称"); }
    else if (!since || yearsSince(since, today) < 3) { missing.push("取得副高级及以上职称并受聘满 3 年"); }
    if (missing.length && management < 5) {
      problems.push("须符合第九条（三）：" + missing.join("；") + "。或者在医疗机构中层、高层从事管理工作 5 年以上（填写为 " + management + " 年）。");
    }
    box.hidden = false;
    box.className = "alert small " + (problems.length ? "alert-warning" : "alert-success");
    box.textContent = problems.length ? problems.join(" ") : "按已填写的信息，符合第九条规定的申请条件。";
  }
  form.addEventListener("input", check);
  form.addEventListener("change", check);
})();

// Poll the order's state and move on by itself once the payment is confirmed.
(function () {
  "use strict";
  var box = document.getElementById("payment-status");
  if (!box) { return; }
  var label = box.querySelector("[data-testid=payment-state]");
  function check() {
    fetch(box.dataset.statusUrl, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        if (data.state === "paid") {
          label.textContent = "付款成功，正在跳转……";
          window.location.assign(data.next_url || window.location.href);
        } else if (data.state !== "unpaid") {
          label.textContent = "订单状态：" + data.state_display;
        }
      })
      .catch(function () { /* try again on the next tick */ });
  }
  window.setInterval(check, 2000);
})();

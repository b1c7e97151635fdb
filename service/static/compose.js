// Live amounts on the invoice form: the same rules as parsers/compose/amounts.py, in exact
// integer arithmetic (BigInt): a line is quantity × unit price rounded to yen the supplier's
// way, less its discount; tax is rounded once per rate on the sum of that rate's lines.
// Without JavaScript the "calculate" button asks the server for the same figures.
(function () {
  "use strict";
  var form = document.getElementById("compose-form");
  if (!form || typeof BigInt === "undefined") { return; }
  var PERCENT = { standard: 10n, reduced: 8n, exempt: 0n, out_of_scope: 0n };
  var body = form.querySelector("#compose-lines tbody");

  // "12.5" → [1250n, 2] style: the value times 10^places, or null if it is no decimal.
  function scaled(text, places) {
    var value = (text || "").trim().replace(/,/g, "");
    var match = /^(\d+)(?:\.(\d+))?$/.exec(value);
    if (!match || (match[2] || "").length > places) { return null; }
    var fraction = (match[2] || "").padEnd(places, "0");
    return BigInt(match[1] + fraction);
  }

  function rounded(numerator, denominator, mode) {
    var floor = numerator / denominator;
    var rest = numerator % denominator;
    if (rest === 0n || mode === "down") { return floor; }
    if (mode === "up") { return floor + 1n; }
    return 2n * rest >= denominator ? floor + 1n : floor;
  }

  function yen(value) {
    return value === null ? "" : "¥" + value.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  }

  function field(row, name) {
    return row.querySelector("[name$='-" + name + "']");
  }

  function lineAmount(row, mode) {
    var quantity = scaled(field(row, "quantity").value, 4);
    var price = scaled(field(row, "unit_price").value, 2);
    var allowance = scaled(field(row, "allowance").value || "0", 0);
    if (quantity === null || price === null || allowance === null) { return null; }
    return rounded(quantity * price, 1000000n, mode) - allowance;
  }

  function update() {
    var mode = form.querySelector("[name='rounding']").value;
    var registered = form.dataset.registered === "1";
    var taxable = {};
    body.querySelectorAll("tr.line").forEach(function (row) {
      var amount = lineAmount(row, mode);
      row.querySelector("output").textContent = yen(amount);
      if (amount === null) { return; }
      var rate = field(row, "tax").value;
      taxable[rate] = (taxable[rate] || 0n) + amount;
    });
    var net = 0n, tax = 0n;
    Object.keys(PERCENT).forEach(function (rate) {
      var base = taxable[rate];
      var due = base === undefined || !registered ? 0n : rounded(base * PERCENT[rate], 100n, mode);
      document.getElementById("taxable-" + rate).textContent = base === undefined ? "" : yen(base);
      document.getElementById("tax-" + rate).textContent = base === undefined ? "" : yen(due);
      net += base || 0n;
      tax += due;
    });
    document.getElementById("total-net").textContent = yen(net);
    document.getElementById("total-tax").textContent = yen(tax);
    document.getElementById("total-payable").textContent = yen(net + tax);
  }

  // A new row is a copy of the last one, emptied and numbered on.
  function addLine(event) {
    event.preventDefault();
    var rows = body.querySelectorAll("tr.line");
    var last = rows[rows.length - 1];
    var next = last.cloneNode(true);
    var from = "line-" + last.dataset.index + "-";
    var to = "line-" + rows.length + "-";
    next.dataset.index = String(rows.length);
    next.querySelectorAll("input, select, output").forEach(function (element) {
      ["name", "id", "for"].forEach(function (attribute) {
        var value = element.getAttribute(attribute);
        if (value) { element.setAttribute(attribute, value.split(from).join(to)); }
      });
      var label = element.getAttribute("aria-label");
      if (label) { element.setAttribute("aria-label", label.replace(/\d+$/, String(rows.length + 1))); }
      if (element.tagName === "INPUT") { element.value = ""; }
      if (element.tagName === "OUTPUT") { element.id = to + "amount"; element.textContent = ""; }
      element.removeAttribute("aria-invalid");
      element.removeAttribute("aria-describedby");
    });
    next.querySelectorAll(".field-error").forEach(function (node) { node.remove(); });
    body.appendChild(next);
    next.querySelector("input").focus();
  }

  form.addEventListener("input", update);
  form.addEventListener("change", update);
  document.getElementById("add-line").addEventListener("click", addLine);
  update();
})();

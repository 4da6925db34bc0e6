/* The portal's only script: format hints while typing (the server still checks everything and
   shows the API's field errors), and the password-setup token taken from the link's fragment
   (#token, which browsers never send to a server). Nothing here touches the session: the
   session cookie is HttpOnly. */
(function () {
  "use strict";
  var USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  var USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  var ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  var ID_CHECK = "10X98765432";

  // GB 32100-2015: 18 characters of the alphabet, the last one a check character (mod 31).
  function checkUscc(value) {
    if (value.length !== 18) return "length";
    for (var i = 0; i < 18; i++) if (USCC_ALPHABET.indexOf(value[i]) < 0) return "chars";
    var sum = 0;
    for (var j = 0; j < 17; j++) sum += USCC_ALPHABET.indexOf(value[j]) * USCC_WEIGHTS[j];
    var code = (31 - (sum % 31)) % 31;
    return USCC_ALPHABET[code] === value[17] ? "ok" : "check";
  }

  // GB 11643-1999: 17 digits and a check character (mod 11, 10 written X).
  function checkIdNumber(value) {
    if (value.length !== 18) return "length";
    if (!/^[0-9]{17}[0-9X]$/.test(value)) return "chars";
    var sum = 0;
    for (var i = 0; i < 17; i++) sum += Number(value[i]) * ID_WEIGHTS[i];
    return ID_CHECK[sum % 11] === value[17] ? "ok" : "check";
  }

  function attachCheck(input) {
    var check = input.dataset.check === "uscc" ? checkUscc : checkIdNumber;
    var hint = document.createElement("p");
    hint.className = "live-hint";
    hint.id = input.id + "-live";
    hint.setAttribute("aria-live", "polite");
    input.insertAdjacentElement("afterend", hint);
    var described = (input.getAttribute("aria-describedby") || "").trim();
    input.setAttribute("aria-describedby", (described ? described + " " : "") + hint.id);
    function update() {
      var value = input.value.trim().toUpperCase();
      if (!value) { hint.textContent = ""; hint.className = "live-hint"; return; }
      var verdict = check(value);
      var message = input.dataset["msg" + verdict.charAt(0).toUpperCase() + verdict.slice(1)] || verdict;
      hint.textContent = message.replace("{length}", String(value.length));
      hint.className = "live-hint " + (verdict === "ok" ? "live-ok" : "live-bad");
      hint.dataset.verdict = verdict;
    }
    input.addEventListener("input", update);
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("input[data-check]"), attachCheck);
    var token = document.querySelector("input[data-from-fragment]");
    if (token && !token.value && window.location.hash.length > 1) {
      token.value = decodeURIComponent(window.location.hash.slice(1));
      history.replaceState(null, "", window.location.pathname);  // the token leaves the address bar
    }
    var summary = document.getElementById("error-summary");
    if (summary) summary.focus();
  });
})();

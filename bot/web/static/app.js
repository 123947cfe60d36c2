// The Telegram Mini App: hand Telegram's signed initData to the server, which checks it and answers
// with the person's page. Nothing from the client is trusted: the server validates the signature.
(function () {
  "use strict";
  var webApp = window.Telegram && window.Telegram.WebApp;
  if (!webApp || !webApp.initData) { return; }
  webApp.ready();
  var project = new URLSearchParams(window.location.search).get("project") || "";
  fetch("/app/session", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ initData: webApp.initData, project: project })
  }).then(function (response) {
    return response.ok ? response.json() : null;
  }).then(function (data) {
    if (data && data.url) { window.location.replace(data.url); }
  });
}());

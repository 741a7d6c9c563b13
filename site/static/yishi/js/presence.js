// Presence: one websocket per page of a logged-in user (docs/protocol.md).
// Progressive enhancement only: nothing on the page depends on it. It keeps the
// socket open (ping every 25 s, under the usual 60 s proxy idle timeout), reconnects
// with backoff, writes the online count into [data-presence-online-count] elements,
// and re-dispatches every server message as a "yishi:presence" event on document.
(function () {
  "use strict";
  if (!window.WebSocket || !window.JSON) { return; }
  var root = document.documentElement;
  if (root.hasAttribute("data-presence")) { return; } // loaded twice: one socket is enough
  var PING_EVERY_MS = 25000;
  var MAX_RETRY_MS = 60000;
  var socket = null;
  var pingTimer = null;
  var attempts = 0;
  var nextId = 1;

  function socketUrl() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    return scheme + window.location.host + "/ws/presence/";
  }

  function showOnline(online) {
    if (typeof online !== "number") { return; }
    root.setAttribute("data-presence-online", String(online));
    var targets = document.querySelectorAll("[data-presence-online-count]");
    Array.prototype.forEach.call(targets, function (element) {
      element.textContent = String(online);
    });
  }

  function ping() {
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify({ type: "ping", id: nextId++ }));
    }
  }

  function connect() {
    root.setAttribute("data-presence", "connecting");
    socket = new WebSocket(socketUrl());
    socket.addEventListener("open", function () {
      attempts = 0;
      root.setAttribute("data-presence", "open");
      ping();
      pingTimer = window.setInterval(ping, PING_EVERY_MS);
    });
    socket.addEventListener("message", function (event) {
      var message;
      try { message = JSON.parse(event.data); } catch (error) { return; }
      if (!message || typeof message.type !== "string") { return; }
      if (message.type === "pong" || message.type === "presence") {
        showOnline(message.online);
      }
      document.dispatchEvent(new CustomEvent("yishi:presence", { detail: message }));
    });
    socket.addEventListener("close", function () {
      window.clearInterval(pingTimer);
      socket = null;
      root.setAttribute("data-presence", "closed");
      // Exponential backoff with jitter, so that a restarted server is not hit by
      // every open page in the same second.
      var delay = Math.min(MAX_RETRY_MS, 1000 * Math.pow(2, attempts));
      attempts += 1;
      window.setTimeout(connect, delay * (0.5 + Math.random() / 2));
    });
  }

  connect();
})();

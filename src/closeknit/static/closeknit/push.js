// "Turn on notifications in this browser": register the service worker, subscribe to
// push with our VAPID key, and send the subscription to Closeknit to become a channel.
// The page works without this script; the button only appears when it runs.
(function () {
  "use strict";

  var box = document.getElementById("push");
  if (!box) {
    return;
  }
  var button = box.querySelector("[data-push-button]");
  var status = box.querySelector("[data-push-status]");
  var words = box.dataset;
  box.hidden = false;

  function say(text) {
    status.textContent = text;
  }

  // The VAPID key comes base64url-encoded; pushManager wants its bytes.
  function keyBytes(base64url) {
    var base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
    base64 += "===".slice((base64.length + 3) % 4);
    var raw = window.atob(base64);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i += 1) {
      bytes[i] = raw.charCodeAt(i);
    }
    return bytes;
  }

  function csrfToken() {
    var input = box.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  var supported =
    "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
  if (!supported || !window.isSecureContext) {
    button.hidden = true;
    say(words.unsupported);
    return;
  }

  async function turnOn() {
    button.disabled = true;
    say(words.asking);
    var registration;
    try {
      await navigator.serviceWorker.register(words.worker, { scope: "/" });
      registration = await navigator.serviceWorker.ready;
    } catch (error) {
      say(words.unsupported);
      return;
    }
    var permission = await Notification.requestPermission();
    if (permission !== "granted") {
      say(words.denied);
      return;
    }
    var subscription;
    try {
      subscription = await registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: keyBytes(words.key),
      });
    } catch (error) {
      say(words.nopush);
      return;
    }
    var response;
    try {
      response = await fetch(words.subscribe, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
        body: JSON.stringify(subscription.toJSON()),
      });
    } catch (error) {
      say(words.failed);
      return;
    }
    var answer = {};
    try {
      answer = await response.json();
    } catch (error) {
      answer = {};
    }
    if (response.ok && answer.redirect) {
      window.location.assign(answer.redirect);
      return;
    }
    say(answer.error || words.failed);
  }

  button.addEventListener("click", function () {
    turnOn().finally(function () {
      button.disabled = false;
    });
  });
})();

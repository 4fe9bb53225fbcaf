// Claim pages on a phone, when scripts run (the forms work without this):
// - documents are uploaded one file at a time, each with a progress bar;
// - before sending a file its SHA-256 is asked for: what already arrived
//   (a second tap, a connection lost after the bytes got through) is skipped,
//   as that kind only: the same photo may serve as another kind;
// - a lost connection or a server hiccup is retried with growing pauses.
// The server names documents by their hash, so even a retry it did not see
// coming adds nothing twice. Every word shown comes from the page (data-*),
// which the server wrote in the user's language.
(function () {
  "use strict";

  var RETRIES = 5;

  function hex(buffer) {
    return Array.prototype.map
      .call(new Uint8Array(buffer), function (b) {
        return ("0" + b.toString(16)).slice(-2);
      })
      .join("");
  }

  function sha256(file) {
    if (!(window.crypto && crypto.subtle && file.arrayBuffer)) {
      return Promise.resolve(null);
    }
    return file.arrayBuffer().then(function (buf) {
      return crypto.subtle.digest("SHA-256", buf).then(hex);
    });
  }

  function alreadyThere(claim, sha, kind) {
    if (!sha) return Promise.resolve(false);
    var url = "/claims/" + encodeURIComponent(claim) + "/documents/" + sha + "?kind=" + encodeURIComponent(kind);
    return fetch(url, {
      credentials: "same-origin",
    })
      .then(function (r) {
        return r.status === 204;
      })
      .catch(function () {
        return false;
      });
  }

  // One file, one request; resolves with the server's answer or rejects with
  // {code} (refused: do not retry) or {network: true} (retry).
  function send(claim, kind, file, onProgress) {
    return new Promise(function (resolve, reject) {
      var xhr = new XMLHttpRequest();
      xhr.open("POST", "/claims/" + encodeURIComponent(claim) + "/documents");
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.onprogress = function (e) {
        if (e.lengthComputable) onProgress(e.loaded / e.total);
      };
      xhr.onload = function () {
        var body = {};
        try {
          body = JSON.parse(xhr.responseText || "{}");
        } catch (_) {}
        if (xhr.status >= 200 && xhr.status < 300) resolve(body);
        else if (xhr.status >= 500 || xhr.status === 0) reject({ network: true });
        else if (xhr.status === 413) reject({ code: "document_too_large" });
        else reject({ code: body.error || "internal" });
      };
      xhr.onerror = xhr.ontimeout = function () {
        reject({ network: true });
      };
      var data = new FormData();
      data.append("kind", kind);
      data.append("file", file, file.name);
      xhr.send(data);
    });
  }

  function pause(ms) {
    return new Promise(function (r) {
      setTimeout(r, ms);
    });
  }

  function uploadOne(form, file, kind, row) {
    var claim = form.dataset.claim;
    var bar = row.querySelector("progress");
    var label = row.querySelector(".state");
    var maxBytes = Number(form.dataset.maxMb) * 1024 * 1024;
    if (file.size > maxBytes) {
      return Promise.reject({ code: "document_too_large" });
    }
    return sha256(file).then(function (sha) {
      return alreadyThere(claim, sha, kind).then(function (there) {
        if (there) {
          bar.value = 1;
          label.textContent = form.dataset.textSkipped;
          return;
        }
        var attempt = function (n) {
          label.textContent = form.dataset.textUploading;
          return send(claim, kind, file, function (p) {
            bar.value = p;
          }).then(
            function () {
              bar.value = 1;
              label.textContent = form.dataset.textDone;
            },
            function (err) {
              if (!err.network || n >= RETRIES) throw err;
              label.textContent = form.dataset.textRetry;
              return pause(1000 * Math.pow(2, n)).then(function () {
                // The bytes may have arrived before the connection broke.
                return alreadyThere(claim, sha, kind).then(function (arrived) {
                  if (arrived) {
                    bar.value = 1;
                    label.textContent = form.dataset.textDone;
                    return;
                  }
                  return attempt(n + 1);
                });
              });
            }
          );
        };
        return attempt(0);
      });
    });
  }

  function wireUpload(form) {
    form.addEventListener("submit", function (e) {
      var input = form.querySelector("input[type=file]");
      if (!input || !input.files || input.files.length === 0) return;
      e.preventDefault();
      var kind = form.querySelector("[name=kind]").value;
      var list = form.querySelector("ul.progress");
      var button = form.querySelector("button[type=submit]");
      button.disabled = true;
      list.innerHTML = "";
      var files = Array.prototype.slice.call(input.files);
      var chain = Promise.resolve();
      files.forEach(function (file) {
        var row = document.createElement("li");
        var name = document.createElement("span");
        name.textContent = file.name + " ";
        var bar = document.createElement("progress");
        bar.max = 1;
        bar.value = 0;
        var state = document.createElement("span");
        state.className = "state";
        row.appendChild(name);
        row.appendChild(bar);
        row.appendChild(state);
        list.appendChild(row);
        chain = chain.then(function () {
          return uploadOne(form, file, kind, row);
        });
      });
      chain.then(
        function () {
          window.location.assign("/claims/" + encodeURIComponent(form.dataset.claim) + "?ok=uploaded");
        },
        function (err) {
          var code = err && err.code ? err.code : "internal";
          window.location.assign(
            "/claims/" + encodeURIComponent(form.dataset.claim) + "?error=" + encodeURIComponent(code)
          );
        }
      );
    });
  }

  // The emergency report: how many days are left for the day chosen.
  function wireDaysLeft(form) {
    var input = form.querySelector("input[name=occurred_on]");
    var out = form.querySelector("#e_days_left");
    if (!input || !out) return;
    var allowed = Number(form.dataset.daysLeft);
    var update = function () {
      var on = Date.parse(input.value + "T00:00:00Z");
      var today = Date.parse(input.dataset.today + "T00:00:00Z");
      if (isNaN(on) || isNaN(today)) {
        out.textContent = "";
        return;
      }
      var by = new Date(on + allowed * 86400000);
      var left = Math.round((by.getTime() - today) / 86400000);
      out.textContent =
        left < 0
          ? input.dataset.late
          : input.dataset.template.replace("{ $days }", String(left)).replace("{ $date }", by.toISOString().slice(0, 10));
    };
    input.addEventListener("change", update);
    input.addEventListener("input", update);
    update();
  }

  document.querySelectorAll("form.upload[data-claim]").forEach(wireUpload);
  document.querySelectorAll("form[data-days-left]").forEach(wireDaysLeft);
})();

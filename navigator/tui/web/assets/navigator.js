// Navigator's part of the browser page (see navigator/tui/web/server.py).
//
// - The app's socket address, worked out from the page's own address (or the
//   public URL the server was given), so the page works on 127.0.0.1, on
//   0.0.0.0 reached by a name, and behind a TLS proxy (wss: on https:).
// - Quick exit: Escape twice, or the "Leave this page quickly" link, closes
//   the session's socket (the server then ends its app process), blanks the
//   page and replaces it in the history with a neutral page. At a kiosk it
//   starts again at the welcome instead: a kiosk must not be left.
// - Websites and email addresses on the screen are also links in the bar above
//   it (not at a kiosk, where a link would lead out of Navigator).
// - A "busy" notice when the server has no room for another session.
(() => {
  "use strict";

  const page = document.body.dataset;
  const kiosk = page.mode === "kiosk";
  const terminalElement = document.getElementById("terminal");

  // A session started in another language (`?lang=cy`) asks for it in the socket's path:
  // the terminal script adds its own query (?width=...) to this address.
  const socketUrl = new URL(
    page.language ? `ws/${page.language}` : "ws",
    page.baseUrl || window.location.href,
  );
  socketUrl.protocol = socketUrl.protocol === "https:" ? "wss:" : "ws:";
  terminalElement.dataset.sessionWebsocketUrl = socketUrl.href;

  const CLOSE_BUSY = 1013;
  const DOUBLE_ESCAPE_MS = 1000;

  // The terminal script hands over its terminal and socket through these two names.
  let terminal = null;
  let socket = null;
  Object.defineProperty(window, "navigatorTerminal", {
    get: () => terminal,
    set: (value) => {
      terminal = value;
      if (!kiosk) {
        watchLinks(terminal);
      }
    },
  });
  Object.defineProperty(window, "navigatorSocket", {
    get: () => socket,
    set: (value) => {
      socket = value;
      socket.addEventListener("close", (event) => {
        if (event.code === CLOSE_BUSY) {
          document.body.classList.add("-busy");
        }
      });
    },
  });

  // --- Quick exit
  let leaving = false;
  function leave() {
    if (leaving) {
      return;
    }
    leaving = true;
    document.body.classList.add("-leaving");
    if (socket) {
      socket.close();
    }
    if (terminal) {
      terminal.reset();
    }
    try {
      window.sessionStorage.clear();
      window.localStorage.clear();
    } catch (error) {
      // Storage may be turned off; there is then nothing to clear.
    }
    if (kiosk) {
      window.location.reload();
    } else {
      window.location.replace(page.quickExitUrl);
    }
  }

  let lastEscape = -Infinity;
  document.addEventListener(
    "keydown",
    (event) => {
      if (event.key !== "Escape" || event.repeat) {
        return;
      }
      const now = performance.now();
      if (now - lastEscape < DOUBLE_ESCAPE_MS) {
        event.preventDefault();
        event.stopPropagation();
        leave();
      }
      lastEscape = now;
    },
    true,
  );
  document.getElementById("quick-exit").addEventListener("click", (event) => {
    event.preventDefault();
    leave();
  });

  // --- Links: the web and email addresses on the screen, as real links in the page's
  // bar, where a mouse, the keyboard and a screen reader all reach them (the
  // terminal's own text is drawn, and cannot be a link to any of those).
  const ADDRESS =
    /(?:https?:\/\/[^\s<>"'│║╏]+|(?<![\w./@:-])www\.[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?:\/[^\s<>"'│║╏]*)?|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)/g;
  const linksList = document.getElementById("links");
  let shownLinks = "";
  let linksTimer = null;

  function hrefFor(text) {
    if (/^https?:\/\//.test(text)) {
      return text;
    }
    return text.includes("@") ? "mailto:" + text : "https://" + text;
  }

  function addressesOnScreen(term) {
    const buffer = term.buffer.active;
    const found = [];
    for (let row = 0; row < term.rows; row += 1) {
      const line = buffer.getLine(buffer.viewportY + row);
      const text = line ? line.translateToString(true) : "";
      for (const match of text.matchAll(ADDRESS)) {
        const address = match[0].replace(/[.,;:)]+$/, "");
        if (!found.includes(address)) {
          found.push(address);
        }
      }
    }
    return found;
  }

  function showLinks(term) {
    const addresses = addressesOnScreen(term);
    const key = addresses.join("\n");
    if (key === shownLinks) {
      return;
    }
    shownLinks = key;
    linksList.replaceChildren(
      ...addresses.map((address) => {
        const item = document.createElement("li");
        const link = document.createElement("a");
        link.href = hrefFor(address);
        link.textContent = address;
        link.target = "_blank";
        link.rel = "noopener noreferrer";
        item.append(link);
        return item;
      }),
    );
    linksList.parentElement.hidden = addresses.length === 0;
  }

  function watchLinks(term) {
    term.onWriteParsed(() => {
      clearTimeout(linksTimer);
      linksTimer = setTimeout(() => showLinks(term), 250);
    });
  }
})();

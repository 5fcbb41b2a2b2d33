// Navigator's part of the browser page (see navigator/tui/web/server.py).
//
// - The app's socket address, worked out from the page's own address (or the
//   public URL the server was given), so the page works on 127.0.0.1, on
//   0.0.0.0 reached by a name, and behind a TLS proxy (wss: on https:).
// - Quick exit: Escape twice, or the "Leave this page quickly" link, closes
//   the session's socket (the server then ends its app process), blanks the
//   page and replaces it in the history with a neutral page. At a kiosk it
//   starts again at the welcome instead: a kiosk must not be left.
// - Websites and email addresses on the screen become links (not at a
//   kiosk, where a link would lead out of Navigator).
// - A "busy" notice when the server has no room for another session.
(() => {
  "use strict";

  const page = document.body.dataset;
  const kiosk = page.mode === "kiosk";
  const terminalElement = document.getElementById("terminal");

  const socketUrl = new URL("ws", page.baseUrl || window.location.href);
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
        terminal.registerLinkProvider(linkProvider(terminal));
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

  // --- Links: web addresses without "http" (those with it are the terminal's own
  // links already) and email addresses.
  const ADDRESS =
    /(?<![\w./@:-])(?:www\.[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?:\/[^\s<>"')]*)?|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)/g;

  function hrefFor(text) {
    return text.includes("@") ? "mailto:" + text : "https://" + text;
  }

  function linkProvider(term) {
    return {
      provideLinks(row, callback) {
        const line = term.buffer.active.getLine(row - 1);
        if (!line) {
          callback(undefined);
          return;
        }
        const text = line.translateToString(false);
        const links = [];
        for (const match of text.matchAll(ADDRESS)) {
          const found = match[0].replace(/[.,;:]+$/, "");
          const href = hrefFor(found);
          links.push({
            text: found,
            range: {
              start: { x: match.index + 1, y: row },
              end: { x: match.index + found.length, y: row },
            },
            activate: () => window.open(href, "_blank", "noopener,noreferrer"),
          });
        }
        callback(links.length ? links : undefined);
      },
    };
  }
})();

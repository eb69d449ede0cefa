// The Sluice dashboard: polls the admin API every 2 s and draws pools, members, queues and
// events. Plain DOM, no framework; every value from the server is set as text, never as HTML
// (a remote reply in last_error is untrusted input).
"use strict";

(function () {
  const POLL_MS = 2000;
  const TOKEN_KEY = "sluice.admin.token";
  const STATUS_CLASSES = ["healthy", "degraded", "down", "probation", "suspended", "quota", "warmup"];

  const $ = (id) => document.getElementById(id);
  let timer = null;
  let refreshing = false;
  // An action asked for fresh data while a refresh was running: run another one right after.
  let again = false;
  // Rows of the member tables, kept across polls so buttons keep their focus: "pool/member" → row.
  const rows = new Map();

  /** Creates an element: h("td", {class: "x", "data-testid": "y"}, child, "text", …). */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "hidden") el.hidden = true;
      else el.setAttribute(k, v === true ? "" : String(v));
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return el;
  }

  /** Replaces an element's children, skipping absent ones (replaceChildren would print "null"). */
  function fill(el, ...children) {
    el.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  }

  // ---- the token ---------------------------------------------------------------------------

  function token() {
    return sessionStorage.getItem(TOKEN_KEY);
  }

  function showLogin(message) {
    sessionStorage.removeItem(TOKEN_KEY);
    stopPolling();
    rows.clear();
    $("dashboard").hidden = true;
    $("signout").hidden = true;
    $("login").hidden = false;
    $("login-error").textContent = message || "";
    $("token").value = "";
    $("token").focus();
  }

  function showDashboard() {
    $("login").hidden = true;
    $("dashboard").hidden = false;
    $("signout").hidden = false;
    startPolling();
  }

  /** Thrown when the token is refused: the whole page goes back to the form. */
  class Unauthorized extends Error {}

  /** A failed API call with the server's {"error": …} message. */
  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  async function api(method, path, body) {
    const headers = { Authorization: "Bearer " + token(), Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: "no-store",
    });
    if (response.status === 401) throw new Unauthorized();
    let data = null;
    try {
      data = await response.json();
    } catch (e) {
      data = null;
    }
    if (!response.ok) {
      const message = data && data.error ? data.error : "HTTP " + response.status;
      throw new ApiError(response.status, message);
    }
    return data;
  }

  // ---- polling -----------------------------------------------------------------------------

  function startPolling() {
    stopPolling();
    refresh();
  }

  function stopPolling() {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  }

  function schedule() {
    stopPolling();
    if (token() && !document.hidden) timer = setTimeout(refresh, POLL_MS);
  }

  /** Loads every section at once; one that fails says so and leaves the others drawn. */
  async function refresh() {
    if (!token()) return;
    if (refreshing) {
      again = true;
      return;
    }
    refreshing = true;
    again = false;
    try {
      const [status, pools, queues, events] = await Promise.allSettled([
        api("GET", "/api/v1/status"),
        api("GET", "/api/v1/pools"),
        api("GET", "/api/v1/queues"),
        api("GET", "/api/v1/events?limit=25"),
      ]);
      if ([status, pools, queues, events].some((r) => r.status === "rejected" && r.reason instanceof Unauthorized)) {
        showLogin("The server refused this token. Enter the admin token again.");
        return;
      }
      drawStatus(status);
      drawPools(pools);
      drawQueues(queues);
      drawEvents(events);
      $("updated").textContent = "Updated " + new Date().toLocaleTimeString();
    } finally {
      refreshing = false;
      if (again) refresh();
      else schedule();
    }
  }

  /** A section's message when its endpoint failed: missing (404) reads differently from broken. */
  function unavailable(result, path) {
    const e = result.reason;
    if (e instanceof ApiError && e.status === 404) {
      return h("p", { class: "note" }, "This server does not offer " + path + " (an older Sluice?).");
    }
    return h("p", { class: "error", role: "alert" }, "Could not load " + path + ": " + (e && e.message ? e.message : e));
  }

  // ---- formatting --------------------------------------------------------------------------

  function ago(iso) {
    if (!iso) return "—";
    const seconds = Math.round((Date.now() - Date.parse(iso)) / 1000);
    return duration(Math.max(0, seconds)) + " ago";
  }

  function duration(seconds) {
    if (seconds === null || seconds === undefined) return "—";
    if (seconds < 90) return Math.round(seconds) + " s";
    if (seconds < 90 * 60) return Math.round(seconds / 60) + " min";
    if (seconds < 48 * 3600) return Math.round(seconds / 3600) + " h";
    return Math.round(seconds / 86400) + " d";
  }

  function time(iso) {
    return iso ? h("time", { datetime: iso, title: iso }, ago(iso)) : "—";
  }

  function number(n) {
    return n === null || n === undefined ? "—" : Number(n).toLocaleString(undefined, { maximumFractionDigits: 1 });
  }

  // ---- status line -------------------------------------------------------------------------

  function drawStatus(result) {
    const el = document.querySelector("[data-testid=server]");
    if (result.status === "rejected") {
      el.textContent = "";
      return;
    }
    const s = result.value;
    const version = s.version && /^\d/.test(s.version) ? "v" + s.version : s.version;
    el.textContent = [s.hostname, version, "up " + duration(s.uptime_seconds)]
      .filter(Boolean)
      .join(" · ");
    if (s.queue) {
      document.querySelector("[data-testid=card-queued]").textContent = number(s.spool ? s.spool.messages : s.queue.waiting);
    }
  }

  // ---- pools and members -------------------------------------------------------------------

  function drawPools(result) {
    const container = $("pools");
    if (result.status === "rejected") {
      rows.clear();
      container.replaceChildren(unavailable(result, "/api/v1/pools"));
      setCards(null);
      return;
    }
    const pools = result.value.pools || [];
    const seen = new Set();
    const members = new Map();
    const sections = pools.map((pool) => {
      for (const m of pool.members) members.set(m.name, m);
      return poolSection(pool, seen);
    });
    for (const key of [...rows.keys()]) if (!seen.has(key)) rows.delete(key);
    container.replaceChildren(...(sections.length ? sections : [h("p", { class: "note" }, "No pools are configured.")]));
    setCards([...members.values()]);
  }

  function setCards(members) {
    const set = (id, v) => (document.querySelector(`[data-testid=${id}]`).textContent = v);
    if (members === null) {
      ["card-total", "card-active", "card-inactive"].forEach((id) => set(id, "–"));
      return;
    }
    const active = members.filter((m) => m.active).length;
    set("card-total", members.length);
    set("card-active", active);
    set("card-inactive", members.length - active);
  }

  function poolSection(pool, seen) {
    const t = pool.totals || {};
    const headingId = "pool-" + pool.name;
    const body = h("tbody");
    for (const m of pool.members) {
      const key = pool.name + "/" + m.name;
      seen.add(key);
      let row = rows.get(key);
      if (!row) {
        row = memberRow(m.name);
        rows.set(key, row);
      }
      updateRow(row, m);
      body.append(row.tr);
    }
    return h(
      "article",
      { class: "pool", "data-pool": pool.name, "aria-labelledby": headingId },
      h(
        "header",
        { class: "pool-head" },
        h("h3", { id: headingId }, pool.name),
        h(
          "p",
          { class: "pool-totals" },
          `${number(t.members)} member${t.members === 1 ? "" : "s"} · ${number(t.active)} active · ${number(t.inactive)} inactive`,
          pool.fallback && pool.fallback.length ? " · falls back to " + pool.fallback.join(", ") : ""
        )
      ),
      h(
        "table",
        { class: "members" },
        h("caption", { class: "visually-hidden" }, "Members of pool " + pool.name),
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            ["Member", "Status", "Quota", "Rate", "Warmup", "Effective weight", "Last error", "Actions"].map((c) =>
              h("th", { scope: "col" }, c)
            )
          )
        ),
        body
      )
    );
  }

  /** A member's row; its action buttons live as long as the row, so keyboard focus survives polls. */
  function memberRow(name) {
    const cells = {};
    for (const c of ["member", "status", "quota", "rate", "warmup", "weight", "error"]) {
      cells[c] = h("td", { "data-label": c === "error" ? "last error" : c });
    }
    const toggle = h("button", { type: "button", class: "action" });
    const test = h("button", { type: "button", class: "action quiet", "data-action": "test" }, "Test connection");
    const result = h("p", { class: "test-result", "data-testid": "test-result", "aria-live": "polite" });
    toggle.addEventListener("click", () => suspendOrResume(name, toggle));
    test.addEventListener("click", () => testConnection(name, test, result));
    const actions = h("td", { class: "actions", "data-label": "actions" }, h("div", { class: "buttons" }, toggle, test), result);
    const tr = h(
      "tr",
      { "data-member": name },
      cells.member,
      cells.status,
      cells.quota,
      cells.rate,
      cells.warmup,
      cells.weight,
      cells.error,
      actions
    );
    return { tr, cells, toggle };
  }

  function updateRow(row, m) {
    const c = row.cells;
    row.tr.dataset.status = m.status;
    fill(c.member,
      h("span", { class: "member-name" }, m.name),
      h("span", { class: "sub" }, m.kind + (m.target ? " · " + m.target : "")),
      m.connections ? h("span", { class: "sub" }, m.connections + " open connection" + (m.connections === 1 ? "" : "s")) : null
    );
    fill(c.status, chip(m), m.detail ? h("span", { class: "sub" }, m.detail) : null, suspensions(m));
    fill(c.quota, ...quotas(m.quota));
    fill(c.rate, h("span", { "data-testid": "rate" }, number(m.rate_per_minute)), h("span", { class: "sub" }, "per minute"));
    fill(c.warmup, ...warmup(m.warmup));
    fill(c.weight, ...weight(m));
    fill(c.error, ...lastError(m.last_error));

    if (!row.toggle.disabled) setToggle(row.toggle, m);
  }

  /** The Suspend/Resume button of a member as the server last reported it. */
  function setToggle(button, m) {
    const suspended = (m.override && m.override.suspended) || m.status === "suspended";
    const action = suspended ? "resume" : "suspend";
    if (button.dataset.action === action) return;
    button.dataset.action = action;
    button.textContent = suspended ? "Resume" : "Suspend";
    button.setAttribute("aria-label", (suspended ? "Resume " : "Suspend ") + m.name);
  }

  function chip(m) {
    const status = STATUS_CLASSES.includes(m.status) ? m.status : "unknown";
    return h(
      "span",
      { class: "chip chip-" + status, "data-testid": "status", title: m.detail || null },
      m.status
    );
  }

  function suspensions(m) {
    if (!m.suspensions || !m.suspensions.length) return null;
    const line = (s) =>
      (s.destination === "*" ? "every destination" : s.destination) +
      ": suspended" +
      (s.by ? " by " + s.by : "") +
      (s.until ? " until " + new Date(s.until).toLocaleTimeString() : "") +
      (s.reason ? " (" + s.reason + ")" : "");
    return h("ul", { class: "sub plain" }, m.suspensions.map((s) => h("li", {}, line(s))));
  }

  function quotas(list) {
    if (!list || !list.length) return [h("span", { class: "sub" }, "no limit")];
    return list.map((q) => {
      const label = `${q.window}: ${number(q.used)} / ${number(q.limit)}`;
      return h(
        "div",
        { class: "quota", "data-window": q.window },
        h("span", { class: "quota-label" }, label),
        h("meter", {
          min: 0,
          max: Math.max(1, q.limit),
          low: Math.max(1, q.limit) * 0.7,
          high: Math.max(1, q.limit) * 0.9,
          optimum: 0,
          value: Math.min(q.used, Math.max(1, q.limit)),
          "aria-label": `${q.window} quota used: ${label}`,
        })
      );
    });
  }

  function warmup(list) {
    if (!list || !list.length) return [h("span", { class: "sub" }, "—")];
    return [
      h(
        "ul",
        { class: "plain" },
        list.map((w) =>
          h(
            "li",
            {},
            `${w.destination}: day ${w.day}, ${number(w.sent_today)} / ${number(w.cap_today)}`,
            w.paused ? h("span", { class: "tag" }, "paused") : null
          )
        )
      ),
    ];
  }

  function weight(m) {
    const configured = m.weight === m.configured_weight ? "" : `, routes.yaml ${number(m.configured_weight)}`;
    const out = [
      h("span", { "data-testid": "effective-weight", title: "effective weight: weight × live health factor, 0 when out" }, number(m.effective_weight)),
      h("span", { class: "sub" }, `of weight ${number(m.weight)}${configured}`),
    ];
    if (m.override) {
      const o = m.override;
      const what = [o.suspended ? "suspended" : null, o.weight !== null && o.weight !== undefined ? "weight " + o.weight : null]
        .filter(Boolean)
        .join(", ");
      const who = [o.by && "by " + o.by, o.at && new Date(o.at).toLocaleString(), o.reason && "“" + o.reason + "”"].filter(Boolean).join(" ");
      out.push(h("span", { class: "tag tag-override", "data-testid": "override", title: `override: ${what} ${who}`.trim() }, "override"));
    }
    return out;
  }

  function lastError(e) {
    if (!e) return [h("span", { class: "sub" }, "—")];
    return [h("span", { class: "reply" }, e.reply), h("span", { class: "sub" }, time(e.at))];
  }

  // ---- actions -----------------------------------------------------------------------------

  function announce(text, isError) {
    const el = $("announce");
    el.textContent = text;
    el.classList.toggle("error", Boolean(isError));
  }

  async function suspendOrResume(member, button) {
    const action = button.dataset.action;
    button.disabled = true;
    try {
      const body = action === "suspend" ? { reason: "suspended from the dashboard" } : undefined;
      const m = await api("POST", `/api/v1/members/${encodeURIComponent(member)}/${action}`, body);
      setToggle(button, m);
      announce(`${member} ${action === "suspend" ? "suspended" : "resumed"}: now ${m.status}.`);
    } catch (e) {
      if (e instanceof Unauthorized) return showLogin("The server refused this token. Enter the admin token again.");
      announce(`Could not ${action} ${member}: ${e.message}`, true);
    } finally {
      button.disabled = false;
    }
    refresh();
  }

  async function testConnection(member, button, result) {
    button.disabled = true;
    result.className = "test-result";
    result.textContent = "Testing…";
    try {
      const r = await api("POST", `/api/v1/members/${encodeURIComponent(member)}/test`, {});
      result.classList.add(r.ok ? "ok" : "error");
      result.textContent = `${r.ok ? "OK" : "Failed"} in ${number(r.elapsed_ms)} ms: ${r.detail}`;
      announce(`Connection test of ${member}: ${r.ok ? "OK" : "failed"}.`, !r.ok);
    } catch (e) {
      if (e instanceof Unauthorized) return showLogin("The server refused this token. Enter the admin token again.");
      result.classList.add("error");
      result.textContent = "Could not test: " + e.message;
    } finally {
      button.disabled = false;
    }
  }

  /** Every message waiting for a later attempt starts now (POST /api/v1/messages/retry). */
  async function retryAll(button) {
    button.disabled = true;
    try {
      const r = await api("POST", "/api/v1/messages/retry");
      const started = r.retried === 1 ? "1 waiting message starts" : `${number(r.retried)} waiting messages start`;
      announce(`Retry all now: ${started} now; ${number(r.in_flight)} already under way.`);
    } catch (e) {
      if (e instanceof Unauthorized) return showLogin("The server refused this token. Enter the admin token again.");
      announce(`Could not retry the queue: ${e.message}`, true);
    } finally {
      button.disabled = false;
    }
    refresh();
  }

  // ---- queues and events -------------------------------------------------------------------

  function drawQueues(result) {
    const container = $("queues");
    if (result.status === "rejected") {
      container.replaceChildren(unavailable(result, "/api/v1/queues"));
      return;
    }
    const q = result.value;
    const s = q.summary || {};
    if (s.messages !== undefined) document.querySelector("[data-testid=card-queued]").textContent = number(s.messages);
    const summary = h(
      "p",
      { class: "queue-summary" },
      `${number(s.messages)} ${s.messages === 1 ? "message" : "messages"}: ${number(s.ready)} ready, ${number(s.waiting)} waiting to retry, ${number(s.in_flight)} in flight`
    );
    const paths = q.paths || [];
    if (!paths.length) {
      container.replaceChildren(summary, h("p", { class: "note" }, "Every queue is empty."));
      return;
    }
    container.replaceChildren(
      summary,
      h(
        "table",
        { class: "queues" },
        h("caption", { class: "visually-hidden" }, "Ready messages per pool, member and destination"),
        h("thead", {}, h("tr", {}, ["Pool", "Member", "Destination", "Ready", "Oldest", "Drains in"].map((c) => h("th", { scope: "col" }, c)))),
        h(
          "tbody",
          {},
          paths.map((p) =>
            h(
              "tr",
              { "data-queue": `${p.pool}/${p.member}/${p.destination}` },
              h("td", { "data-label": "pool" }, p.pool),
              h("td", { "data-label": "member" }, p.member),
              h("td", { "data-label": "destination" }, p.destination),
              h("td", { "data-label": "ready", class: "num" }, number(p.ready)),
              h("td", { "data-label": "oldest" }, time(p.oldest)),
              h("td", { "data-label": "drains in" }, p.drain_seconds === null || p.drain_seconds === undefined ? "not moving" : "~" + duration(p.drain_seconds))
            )
          )
        )
      )
    );
  }

  function drawEvents(result) {
    const container = $("events");
    if (result.status === "rejected") {
      container.replaceChildren(unavailable(result, "/api/v1/events"));
      return;
    }
    const events = result.value.events || [];
    if (!events.length) {
      container.replaceChildren(h("p", { class: "note" }, "No events yet."));
      return;
    }
    container.replaceChildren(
      h(
        "ol",
        { class: "events plain" },
        events.map((e) => {
          const fields = Object.entries(e)
            .filter(([k, v]) => k !== "type" && k !== "at" && v !== null && v !== undefined && v !== "")
            .map(([k, v]) => `${k}=${typeof v === "object" ? JSON.stringify(v) : v}`)
            .join(" ");
          return h(
            "li",
            { class: "event event-" + e.type, "data-type": e.type },
            h("span", { class: "event-type" }, e.type),
            h("span", { class: "event-fields" }, fields),
            h("span", { class: "sub" }, time(e.at))
          );
        })
      )
    );
  }

  // ---- start -------------------------------------------------------------------------------

  document.addEventListener("DOMContentLoaded", () => {
    $("login-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const value = $("token").value.trim();
      if (!value) {
        $("login-error").textContent = "Enter the admin token.";
        return;
      }
      sessionStorage.setItem(TOKEN_KEY, value);
      $("token").value = "";
      $("login-error").textContent = "";
      showDashboard();
    });
    $("signout").addEventListener("click", () => showLogin(""));
    $("retry-all").addEventListener("click", () => retryAll($("retry-all")));
    document.addEventListener("visibilitychange", () => {
      if (!document.hidden && token()) startPolling();
    });
    if (token()) showDashboard();
    else showLogin("");
  });
})();

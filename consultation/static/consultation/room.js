// The live room (docs/protocol.md, "Live rooms"). Progressive enhancement: the page
// is complete without it (every action is a form). With it, the page follows the
// room's socket: it keeps the last applied `seq`, applies each event in order, asks
// for a snapshot on a gap, reconnects with backoff, and sends the forms' actions over
// the socket (falling back to the form's POST while the socket is closed).
(function () {
  "use strict";
  var root = document.getElementById("room");
  if (!root || !window.WebSocket || !window.JSON) { return; }
  var L = JSON.parse(document.getElementById("room-labels").textContent);
  var state = JSON.parse(document.getElementById("room-state").textContent);
  var roomId = root.getAttribute("data-room");
  var socket = null, last = state.seq, waiting = false, attempts = 0, nextId = 1;
  var pingTimer = null, tickTimer = null;
  var names = {};

  function $(sel) { return root.querySelector(sel); }
  function all(sel) { return root.querySelectorAll(sel); }
  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (_, key) { return values[key]; });
  }
  function setText(sel, text) {
    Array.prototype.forEach.call(all(sel), function (el) { el.textContent = text; });
  }
  function clear(el) { while (el.firstChild) { el.removeChild(el.firstChild); } }
  function li(text, cls) {
    var el = document.createElement("li");
    el.textContent = text;
    if (cls) { el.className = cls; }
    return el;
  }

  function renderNames() {
    names = {};
    state.participants.forEach(function (p) { names[p.id] = p.name; });
  }
  function renderQueue() {
    Array.prototype.forEach.call(all("[data-queue]"), function (list) {
      clear(list);
      if (!state.queue.length) { list.appendChild(li(L.queue_empty, "muted")); }
      state.queue.forEach(function (id) { list.appendChild(li(names[id] || "")); });
    });
  }
  function renderFloor() {
    var floor = state.room.floor;
    setText("[data-speaker]", floor.speaker ? (names[floor.speaker] || "") : L.none);
    tick();
  }
  function tick() {
    var floor = state.room.floor;
    var text = fill(L.timer_each, { s: floor.seconds });
    if (floor.speaker && floor.started_at) {
      var used = Math.floor((Date.now() - Date.parse(floor.started_at)) / 1000);
      var left = floor.seconds - used;
      text = left > 0 ? fill(L.timer_left, { s: left }) : L.timer_over;
    }
    setText("[data-timer]", text);
  }
  // The agenda is written again from the state on every change (it is short): each
  // item with its status in words, the link to its ballot, the chair's choice of
  // item (keeping what the chair picked) and the chair's buttons for a ballot put
  // on the agenda during the meeting.
  function agendaEntry(list, item) {
    var el = li(item.title, "item-" + item.status);
    el.setAttribute("data-item", item.id);
    if (item.status === "current") {
      var mark = document.createElement("strong");
      mark.textContent = "（" + L.current + "）";
      el.appendChild(document.createTextNode(" "));
      el.appendChild(mark);
    } else if (item.status === "done") {
      el.appendChild(document.createTextNode(" （" + L.done + "）"));
    }
    var url = list.getAttribute("data-ballot-url");
    if (item.ballot && url) {
      var p = document.createElement("p"), a = document.createElement("a");
      a.href = url.replace(/\/0\/$/, "/" + item.ballot + "/");
      a.textContent = L.go_vote;
      p.appendChild(a);
      el.appendChild(p);
    }
    return el;
  }
  function renderItemChoice() {
    var choice = document.getElementById("item-open");
    if (!choice) { return; }
    var kept = choice.value;
    clear(choice);
    state.agenda.forEach(function (item) {
      var option = document.createElement("option");
      option.value = item.id;
      option.textContent = item.position + ". " + item.title;
      choice.appendChild(option);
    });
    if (kept && choice.querySelector('option[value="' + kept + '"]')) { choice.value = kept; }
  }
  function actionForm(name, fields, text) {
    var form = document.createElement("form");
    form.method = "post";
    form.action = "/rooms/" + roomId + "/act/" + name + "/";
    form.setAttribute("data-action", name);
    var token = root.querySelector("input[name=csrfmiddlewaretoken]");
    fields.unshift(["csrfmiddlewaretoken", token ? token.value : ""]);
    fields.forEach(function (pair) {
      var input = document.createElement("input");
      input.type = "hidden"; input.name = pair[0]; input.value = pair[1];
      form.appendChild(input);
    });
    var button = document.createElement("button");
    button.type = "submit"; button.className = "button secondary"; button.textContent = text;
    form.appendChild(button);
    return form;
  }
  function renderChairBallots() {
    var closing = root.querySelector('[data-chair] form[data-action="close"]');
    if (!closing) { return; }
    state.agenda.forEach(function (item) {
      if (!item.ballot || root.querySelector('[data-ballot-item="' + item.id + '"]')) { return; }
      [["ballot_open", L.ballot_open_item], ["ballot_close", L.ballot_close_item]].forEach(function (pair) {
        var form = actionForm(pair[0], [["item_id", String(item.id)]], fill(pair[1], { t: item.title }));
        form.setAttribute("data-ballot-item", item.id);
        closing.parentNode.insertBefore(form, closing);
      });
    });
  }
  function renderAgenda() {
    Array.prototype.forEach.call(all("[data-agenda]"), function (list) {
      clear(list);
      state.agenda.forEach(function (item) { list.appendChild(agendaEntry(list, item)); });
    });
    renderItemChoice();
    renderChairBallots();
    var current = null;
    state.agenda.forEach(function (item) { if (item.status === "current") { current = item; } });
    setText("[data-current-item]", current ? current.title : "");
  }
  // A ballot's tally box, made for a ballot put on the agenda during the meeting.
  function tallyBox(id) {
    var box = root.querySelector('[data-tally="' + id + '"]');
    var list = $("[data-agenda]");
    if (box || !list) { return box; }
    box = document.createElement("div");
    box.className = "room-tally";
    box.setAttribute("data-tally", id);
    var head = document.createElement("p"), status = document.createElement("span");
    status.setAttribute("data-tally-status", "");
    head.appendChild(document.createTextNode(L.ballot + "："));
    head.appendChild(status);
    var counts = document.createElement("p");
    counts.setAttribute("data-tally-counts", "");
    box.appendChild(head);
    box.appendChild(counts);
    list.parentNode.appendChild(box);
    return box;
  }
  // Who is connected: the count, and the names the page knows (all of a body's
  // meeting; of an assembly, the seats its snapshot lists).
  function renderOnline(ids, count) {
    setText("[data-online-count]", fill(L.online, { n: count }));
    Array.prototype.forEach.call(all("[data-online]"), function (list) {
      clear(list);
      (ids || []).forEach(function (id) { if (id in names) { list.appendChild(li(names[id])); } });
    });
  }
  function renderQuorum(q) {
    var label = L["quorum_" + q.counting] || L.quorum;
    setText("[data-quorum]", fill(label, q) + "，" + (q.met ? L.met : L.not_met));
  }
  function renderStatement(s) {
    var list = $("[data-statements]");
    if (!list) { return; }
    var empty = list.querySelector("[data-empty]");
    if (empty) { list.removeChild(empty); }
    if (list.querySelector('[data-statement="' + s.id + '"]')) { return; }
    var item = document.createElement("li");
    item.setAttribute("data-statement", s.id);
    var p = document.createElement("p");
    var who = document.createElement("strong");
    who.textContent = names[s.participant] || "";
    p.appendChild(who);
    p.appendChild(document.createTextNode("：" + s.text));
    item.appendChild(p);
    var counts = document.createElement("p");
    counts.className = "room-reactions";
    ["agree", "disagree", "question"].forEach(function (kind, i) {
      if (i) { counts.appendChild(document.createTextNode(" · ")); }
      counts.appendChild(document.createTextNode(L[kind] + " "));
      var n = document.createElement("span");
      n.setAttribute("data-count", kind);
      n.textContent = String(s.reactions[kind] || 0);
      counts.appendChild(n);
    });
    item.appendChild(counts);
    if (root.getAttribute("data-may-speak") === "true") { item.appendChild(reactForm(s.id)); }
    list.appendChild(item);
  }
  // The reaction buttons of a statement that arrived live (as the page renders them).
  function reactForm(id) {
    var form = document.createElement("form");
    form.method = "post";
    form.action = "/rooms/" + roomId + "/act/react/";
    form.className = "room-buttons";
    form.setAttribute("data-action", "react");
    var token = root.querySelector("input[name=csrfmiddlewaretoken]");
    [["csrfmiddlewaretoken", token ? token.value : ""], ["statement_id", String(id)]].forEach(function (pair) {
      var input = document.createElement("input");
      input.type = "hidden"; input.name = pair[0]; input.value = pair[1];
      form.appendChild(input);
    });
    ["agree", "disagree", "question"].forEach(function (kind) {
      var button = document.createElement("button");
      button.type = "submit"; button.name = "kind"; button.value = kind;
      button.className = "button secondary";
      button.textContent = L[kind];
      form.appendChild(button);
    });
    return form;
  }
  function renderReactions(id, reactions) {
    var item = root.querySelector('[data-statement="' + id + '"]');
    if (!item) { return; }
    Object.keys(reactions).forEach(function (kind) {
      var n = item.querySelector('[data-count="' + kind + '"]');
      if (n) { n.textContent = String(reactions[kind]); }
    });
  }
  function renderTally(b) {
    var box = tallyBox(b.ballot);
    if (!box) { return; }
    var status = box.querySelector("[data-tally-status]");
    if (status) { status.textContent = L["ballot_" + (b.status === "draft" ? "draft" : b.status === "open" ? "open" : "closed")]; }
    var counts = box.querySelector("[data-tally-counts]");
    if (!counts) { return; }
    var text = fill(L.participation, { n: b.participation, total: b.roll }) + "。";
    if (b.tally) {
      text += b.tally.map(function (o) { return o.label + " " + o.heads + " " + L.votes; }).join("；");
    } else {
      text += L.hidden;
    }
    counts.textContent = text;
  }
  function renderAll() {
    renderNames(); renderQueue(); renderFloor(); renderAgenda(); renderQuorum(state.quorum);
    renderOnline(state.online, state.online_count);
    state.statements.forEach(renderStatement);
    state.statements.forEach(function (s) { renderReactions(s.id, s.reactions); });
    state.ballots.forEach(renderTally);
  }

  // One seq'd event: the room's state moves on by exactly one change.
  var apply = {
    queue: function (m) { state.queue = m.queue; renderQueue(); },
    floor: function (m) { state.room.floor = m.floor; state.queue = m.queue; renderFloor(); renderQueue(); },
    agenda: function (m) { state.agenda = m.agenda; renderAgenda(); },
    statement: function (m) { state.statements.push(m.statement); renderStatement(m.statement); },
    reactions: function (m) { renderReactions(m.statement, m.reactions); },
    muted: function (m) { state.queue = m.queue; renderQueue(); },
    hall: function () {},
    ballot: function () {},
    closed: function () { setText("[data-room-status]", L.closed); }
  };

  function onMessage(event) {
    var m = JSON.parse(event.data);
    if (m.type === "snapshot") {
      state = m; last = m.seq; waiting = false; renderAll(); return;
    }
    if (m.type === "presence") {
      renderQuorum(m.quorum); renderOnline(m.online, m.online_count); return;
    }
    if (m.type === "tally") { renderTally(m); return; }
    if (m.type === "ack") { return; }
    if (m.type === "error") { if (m.detail) { window.alert(m.detail); } return; }
    if (typeof m.seq !== "number" || !apply[m.type] || waiting) { return; }
    if (m.seq <= last) { return; }
    if (m.seq > last + 1) {
      waiting = true;
      socket.send(JSON.stringify({ type: "snapshot_request", seq: last }));
      return;
    }
    apply[m.type](m);
    last = m.seq;
    if (unnamed(m) || newBallot(m)) {
      // An assembly's snapshot names only the seats in play: ask again for one
      // that names whoever this event brought in; a ballot put on the agenda
      // comes with its tally in the next snapshot.
      waiting = true;
      socket.send(JSON.stringify({ type: "snapshot_request", seq: last }));
    }
  }
  function newBallot(m) {
    if (m.type !== "agenda") { return false; }
    var known = {};
    (state.ballots || []).forEach(function (b) { known[b.ballot] = true; });
    return m.agenda.some(function (item) { return item.ballot && !known[item.ballot]; });
  }
  function unnamed(m) {
    if (!state.participants_partial) { return false; }
    var ids = (m.queue || []).slice();
    if (m.statement && m.statement.participant) { ids.push(m.statement.participant); }
    if (m.floor && m.floor.speaker) { ids.push(m.floor.speaker); }
    return ids.some(function (id) { return !(id in names); });
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    // The page's ticket spares the server reading the session again; once it has
    // expired (a reconnect minutes later) the server reads the session instead.
    var ticket = root.getAttribute("data-ticket");
    var path = root.getAttribute("data-socket") || "/ws/rooms/" + roomId + "/";
    socket = new WebSocket(scheme + window.location.host + path +
      (ticket ? "?ticket=" + encodeURIComponent(ticket) : ""));
    socket.onopen = function () {
      attempts = 0;
      setText("[data-connection]", L.live);
      root.setAttribute("data-live", "open");
      pingTimer = window.setInterval(function () {
        socket.send(JSON.stringify({ type: "ping", id: nextId++ }));
      }, 25000);
    };
    socket.onmessage = onMessage;
    socket.onclose = function (event) {
      window.clearInterval(pingTimer);
      root.setAttribute("data-live", "closed");
      setText("[data-connection]", L.offline);
      if (event.code === 4401 || event.code === 4403 || event.code === 4404) { return; }
      var delay = Math.min(60000, 1000 * Math.pow(2, attempts++));
      window.setTimeout(connect, delay * (0.5 + Math.random() / 2));
    };
  }

  // Which button sent the form (event.submitter is missing on older phones).
  var lastButton = null;
  root.addEventListener("click", function (event) {
    var el = event.target;
    lastButton = el && el.type === "submit" ? el : null;
  });

  // Forms marked data-action go over the socket while it is open.
  root.addEventListener("submit", function (event) {
    var form = event.target;
    var name = form.getAttribute("data-action");
    if (!name || !socket || socket.readyState !== WebSocket.OPEN) { return; }
    event.preventDefault();
    var params = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "csrfmiddlewaretoken" || el.type === "submit") { return; }
      params[el.name] = el.value;
    });
    var button = event.submitter || lastButton;
    if (button && button.name) { params[button.name] = button.value; }
    ["statement_id", "item_id", "seconds", "participant_id"].forEach(function (key) {
      if (key in params) { params[key] = Number(params[key]); }
    });
    ["muted", "in_hall"].forEach(function (key) {
      if (key in params) { params[key] = params[key] === "1"; }
    });
    socket.send(JSON.stringify({ type: "action", name: name, request_id: nextId++, params: params }));
    if (name === "statement") { form.reset(); }
  });

  renderNames();
  tickTimer = window.setInterval(tick, 1000);
  connect();
})();

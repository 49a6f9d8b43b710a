// Kutsu status page: asks for the admin token once (kept in sessionStorage,
// so it lives as long as the browser tab), reads /api/v1/* every 10 s and
// draws what it got. Every value from the API reaches the DOM as text
// (textContent, text nodes, setAttribute), never as markup.
//
// Every time shown says its zone. A series' times are the API's *_local
// fields, as the series shows them, followed by the series' zone ("Wed 2 Feb
// 2022, 18:00 (Europe/Helsinki)"); the daemon's own instants are UTC and say
// so ("… UTC"); the only browser time, when the page was last updated, names
// the browser's zone.
'use strict';
(() => {
  const TOKEN_KEY = 'kutsu.admin-token';
  const REFRESH_MS = 10000;
  const UPCOMING_ROWS = 100;   // pending rows read to group the next sends
  const UPCOMING_GROUPS = 10;  // groups shown
  const FAILURE_ROWS = 50;     // failed and missed rows read, each
  const SENT_ROWS = 20;        // rows per page of "Recently sent"
  const STATES = ['pending', 'sending', 'retrying', 'sent', 'failed', 'missed', 'superseded'];
  const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const MONTHS =
      ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

  const byId = (id) => document.getElementById(id);

  // el('td', {class: 'x', 'data-label': 'Due'}, child, 'text', …): children
  // that are not nodes become text nodes.
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === 'class')
        node.className = value;
      else if (key.startsWith('on'))
        node.addEventListener(key.slice(2), value);
      else
        node.setAttribute(key, value === true ? '' : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  // A table cell labelled for the phone layout, where each row becomes a card
  // (status.css): the label is drawn from data-label, the content is one block.
  function cell(label, className, ...children) {
    return el('td', {'data-label': label, class: className}, el('div', null, ...children));
  }

  // ---- Times -------------------------------------------------------------

  const STAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(Z|[+-]\d{2}:\d{2})$/;

  // "2022-02-02T18:00:00+02:00" → its wall-clock parts, as written.
  function parseStamp(text) {
    const match = typeof text === 'string' ? STAMP.exec(text) : null;
    if (!match) return null;
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
    return {
      year,
      month,
      day,
      weekday,
      hhmm: `${match[4]}:${match[5]}`,
      utc: match[7] === 'Z',
      offset: match[7]
    };
  }

  // "2022-02-01" → its parts, for a local date without a time.
  function parseDay(text) {
    const match = typeof text === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(text) : null;
    if (!match) return null;
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    return {year, month, day, weekday: new Date(Date.UTC(year, month - 1, day)).getUTCDay()};
  }

  function formatDate(parts) {
    return `${WEEKDAYS[parts.weekday]} ${parts.day} ${MONTHS[parts.month - 1]} ${parts.year}`;
  }

  // What follows a time: " UTC" for a UTC stamp, else " (Europe/Helsinki)",
  // the zone of the series the stamp belongs to, or its offset when the zone
  // is not known (" (UTC+02:00)"). Never nothing.
  function zoneSuffix(parts, zone) {
    if (parts.utc) return ' UTC';
    return zone ? ` (${zone})` : ` (UTC${parts.offset})`;
  }

  // "Wed 2 Feb 2022, 18:00 (Europe/Helsinki)", or "Wed 2 Feb 2022, 16:00 UTC".
  function formatStamp(text, zone) {
    const parts = parseStamp(text);
    if (!parts) return text || '—';
    return `${formatDate(parts)}, ${parts.hhmm}${zoneSuffix(parts, zone)}`;
  }

  // "Wed 2 Feb 2022, 18:00–19:30 (Europe/Helsinki)"; the end's date is
  // repeated only when it differs.
  function formatSpan(startText, endText, zone) {
    const start = parseStamp(startText);
    const end = parseStamp(endText);
    const sameDay = start && end && start.year === end.year && start.month === end.month &&
        start.day === end.day && start.offset === end.offset;
    return sameDay ? `${formatDate(start)}, ${start.hhmm}–${end.hhmm}${zoneSuffix(end, zone)}` :
                     `${formatStamp(startText, zone)} – ${formatStamp(endText, zone)}`;
  }

  // A notification's due time in its series' zone; in UTC when its series
  // is not loaded (the API then has no due_local).
  function timeElement(local, utc, zone) {
    const shown = local || utc;
    return el('time', {datetime: shown}, formatStamp(shown, local ? zone : null));
  }

  // "14:03:07 (America/New_York)": the browser's clock with its zone named,
  // or in UTC (" UTC") when the browser cannot name its zone.
  function browserClock(date) {
    const pad = (n) => String(n).padStart(2, '0');
    let zone = '';
    try {
      zone = Intl.DateTimeFormat().resolvedOptions().timeZone || '';
    } catch (error) {
      zone = '';
    }
    if (zone) {
      return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())} (${
          zone})`;
    }
    return `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${
        pad(date.getUTCSeconds())} UTC`;
  }

  // A span of seconds for people: "3 min", "2 h 5 min", "4 days 3 h".
  function formatSeconds(seconds) {
    const s = Math.max(0, Math.round(seconds));
    if (s < 60) return `${s} s`;
    const minutes = Math.floor(s / 60) % 60;
    const hours = Math.floor(s / 3600) % 24;
    const days = Math.floor(s / 86400);
    if (days > 0) return `${days} ${days === 1 ? 'day' : 'days'}${hours ? ` ${hours} h` : ''}`;
    if (hours > 0) return `${hours} h${minutes ? ` ${minutes} min` : ''}`;
    return `${minutes} min`;
  }

  function relative(dueUtc, nowUtc) {
    const seconds = (Date.parse(dueUtc) - Date.parse(nowUtc)) / 1000;
    if (!Number.isFinite(seconds)) return '';
    return seconds >= 0 ? `in ${formatSeconds(seconds)}` : `${formatSeconds(-seconds)} ago`;
  }

  // "P1D" → "1 day before", "PT1H" → "1 hour before"; anything else as written.
  function formatOffset(offset) {
    const match = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(offset);
    if (!match || offset === 'P' || offset.endsWith('T')) return `${offset} before`;
    const names = ['week', 'day', 'hour', 'minute', 'second'];
    const words = [];
    names.forEach((name, i) => {
      const n = Number(match[i + 1] || 0);
      if (n) words.push(`${n} ${name}${n === 1 ? '' : 's'}`);
    });
    return `${words.join(' ')} before`;
  }

  function describeKind(notification) {
    const kind = notification.kind.charAt(0).toUpperCase() + notification.kind.slice(1);
    return notification.offset ? `${kind}, ${formatOffset(notification.offset)}` : kind;
  }

  // ---- The API -----------------------------------------------------------

  class Refused extends Error {}

  async function api(path, method = 'GET') {
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (!token) throw new Refused();
    let response;
    try {
      response = await fetch(path, {
        method,
        cache: 'no-store',
        credentials: 'omit',
        headers: {'Authorization': `Bearer ${token}`, 'Accept': 'application/json'},
      });
    } catch (error) {
      throw new Error(`no answer from the daemon (${error.message})`);
    }
    if (response.status === 401) throw new Refused();
    let body = null;
    try {
      body = await response.json();
    } catch (error) {
      body = null;
    }
    if (!response.ok) {
      throw new Error(
          body && typeof body.error === 'string' ? body.error :
                                                   `${response.status} ${response.statusText}`);
    }
    return body;
  }

  const notificationsPath = (state, limit) =>
      `/api/v1/notifications?state=${encodeURIComponent(state)}&limit=${limit}`;

  // "Recently sent": the series chosen (all when empty) and the cursors of
  // the pages read so far, so that "Newer" goes back to the one before.
  const sentView = {series: '', cursors: [null], next: null};

  function sentPath() {
    const cursor = sentView.cursors.at(-1);
    return `${notificationsPath('sent', SENT_ROWS)}&order=newest` +
        (sentView.series ? `&series=${encodeURIComponent(sentView.series)}` : '') +
        (cursor ? `&after=${encodeURIComponent(cursor)}` : '');
  }

  async function readEverything() {
    const [status, list, upcoming, failed, missed, sent, optOuts] = await Promise.all([
      api('/api/v1/status'),
      api('/api/v1/series'),
      api(notificationsPath('pending', UPCOMING_ROWS)),
      api(notificationsPath('failed', FAILURE_ROWS)),
      api(notificationsPath('missed', FAILURE_ROWS)),
      api(sentPath()),
      api('/api/v1/opt-outs'),
    ]);
    // Each series' sessions, for their titles in the tables below.
    const details = await Promise.all(list.series.map(
        (series) => api(`/api/v1/series/${encodeURIComponent(series.id)}`).catch(() => null)));
    return {
      status,
      series: list.series,
      details: details.filter(Boolean),
      upcoming,
      failed,
      missed,
      sent,
      optOuts: optOuts.opt_outs
    };
  }

  // ---- Drawing -----------------------------------------------------------

  function countChips(counts, onlyNonZero) {
    const shown = STATES.filter((state) => !onlyNonZero || (counts && counts[state]));
    if (shown.length === 0) return el('p', {class: 'empty'}, 'No notifications.');
    return el(
        'ul', {class: 'counts', 'aria-label': 'Notifications by state'}, shown.map((state) => {
          const n = (counts && counts[state]) || 0;
          return el(
              'li', {class: `chip state-${state}${n ? '' : ' zero'}`}, `${state} `,
              el('b', null, String(n)));
        }));
  }

  // Where a notification belongs, for people: series title and session title.
  function placeOf(notification, data) {
    const detail = data.details.find((series) => series.id === notification.series);
    const seriesTitle = detail ? detail.title : notification.series;
    if (notification.session === null) return {series: seriesTitle, session: 'the whole series'};
    const session = detail && detail.sessions.find((s) => s.id === notification.session);
    return {series: seriesTitle, session: session ? session.title : notification.session};
  }

  // The zone of a notification's series, for its *_local times.
  function zoneOf(notification, data) {
    const series = data.series.find((s) => s.id === notification.series);
    return series ? series.timezone : null;
  }

  function placeCell(notification, data) {
    const place = placeOf(notification, data);
    return cell('Session', null, place.session, el('span', {class: 'sub'}, place.series));
  }

  function table(caption, headings, rows) {
    return el(
        'div', {class: 'table-wrap'},
        el('table', {class: 'stacked'}, el('caption', {class: 'visually-hidden'}, caption),
           el('thead', null,
              el('tr', null, headings.map((heading) => el('th', {scope: 'col'}, heading)))),
           el('tbody', null, rows)));
  }

  function drawAbout(status) {
    const since = formatSeconds((Date.parse(status.now) - Date.parse(status.started_at)) / 1000);
    byId('about').textContent =
        `Version ${status.version} · daemon time ${formatStamp(status.now)} · up ${since}`;
  }

  function drawOverview(data) {
    const {status} = data;
    const next = status.next_due;
    const facts =
        el('dl', {class: 'facts'}, el('dt', null, 'Series loaded'),
           el('dd', null, String(status.series_count)), el('dt', null, 'Running since'),
           el('dd', null, formatStamp(status.started_at)), el('dt', null, 'Next send'),
           el('dd', null,
              next ?
                  [
                    timeElement(next.due_local, next.due, zoneOf(next, data)),
                    ` (${relative(next.due, status.now)}): `,
                    `${describeKind(next)} to ${next.recipient}`
                  ] :
                  'nothing is pending'));
    const overview = byId('overview');
    const alert = storeAlert(status.store);
    if (alert && overview.firstChild === alert) {
      // The same alert stays in place, untouched, so it is not announced again.
      while (alert.nextSibling) alert.nextSibling.remove();
      overview.append(facts, countChips(status.counts, false));
    } else {
      overview.replaceChildren(alert, facts, countChips(status.counts, false));
    }
  }

  // The alert node of the last refresh, kept while its text stays the same:
  // a new or re-inserted role=alert node is announced again at every refresh.
  let shownAlert = null;

  // The outbox cannot write (a full disk, an I/O error): nothing is sent
  // until it can, so this goes above everything else.
  function storeAlert(store) {
    if (!store || store.ok) {
      shownAlert = null;
      return '';
    }
    const waiting = store.series_waiting.length ?
        el('p', null, `Waiting to be stored: ${store.series_waiting.join(', ')}.`) :
        '';
    const alert = el('div', {class: 'alert', role: 'alert'},
                     el('strong', {class: 'problem'}, 'The outbox cannot write; nothing is sent.'),
                     el('p', null, store.problem), waiting);
    if (shownAlert && shownAlert.textContent === alert.textContent) return shownAlert;
    shownAlert = alert;
    return alert;
  }

  function drawSeries(data) {
    const cards = data.series.map((series) => {
      const next = series.next_session;
      const sessions = `${series.sessions} ${series.sessions === 1 ? 'session' : 'sessions'}` +
          (series.cancelled_sessions ? `, ${series.cancelled_sessions} cancelled` : '') +
          // A recurring session's dates are among the sessions: say whose.
          (series.recurring || []).map((rule) =>
              `; ${rule.occurrences} ${rule.occurrences === 1 ? 'date' : 'dates'} of ${rule.id}`)
              .join('');
      return el(
          'article', {class: 'series-card', 'aria-label': series.title},
          el('h3', null, series.title),
          el('p', {class: 'meta'}, `${series.id} · ${series.timezone} · ${sessions}`),
          el('p', {class: 'next'},
             next ?
                 [
                   el('span', {class: 'muted'}, 'Next session: '), next.title, el('br'),
                   el('time', {datetime: next.start_local},
                      formatSpan(next.start_local, next.end_local, series.timezone)),
                   next.cancelled ? ' (cancelled)' : ''
                 ] :
                 el('span', {class: 'muted'}, 'No sessions ahead.')),
          countChips(series.counts, true));
    });
    byId('series').replaceChildren(
        ...(cards.length ? cards : [el('p', {class: 'empty'}, 'No series is loaded.')]));
  }

  // Pending notifications sent together (same moment, series, session, kind,
  // offset and channel) form one group: "12 recipients".
  function groupUpcoming(page) {
    const groups = new Map();
    for (const n of page.notifications) {
      const key = JSON.stringify([n.due, n.series, n.session, n.kind, n.offset, n.channel]);
      if (!groups.has(key)) groups.set(key, {key, first: n, recipients: []});
      groups.get(key).recipients.push(n.recipient);
    }
    // One moment's groups in a fixed order: by series, session, then channel.
    const order = (group) => [group.first.due, group.first.series, group.first.session || '',
                              group.first.kind, group.first.offset || '', group.first.channel]
                                 .join('\u0000');
    const list = [...groups.values()].sort((a, b) => (order(a) < order(b) ? -1 : 1));
    // With more pages to read, the groups at the last row's moment may have more.
    const lastDue = page.notifications.length ? page.notifications.at(-1).due : null;
    for (const group of list) group.partial = page.next !== null && group.first.due === lastDue;
    return list;
  }

  const openGroups = new Set();  // groups whose recipient list is unfolded survive a refresh

  function recipientsCell(group) {
    if (group.recipients.length === 1 && !group.partial) {
      return cell('Recipient', 'recipient', group.recipients[0]);
    }
    const count = `${group.recipients.length}${group.partial ? '+' : ''} recipients`;
    const details =
        el('details', {open: openGroups.has(group.key)}, el('summary', null, count),
           el('ul', null, group.recipients.map((r) => el('li', null, r))));
    details.addEventListener('toggle', () => {
      if (details.open)
        openGroups.add(group.key);
      else
        openGroups.delete(group.key);
    });
    return cell('Recipients', 'recipient', details);
  }

  function drawUpcoming(data) {
    const groups = groupUpcoming(data.upcoming);
    if (groups.length === 0) {
      byId('upcoming').replaceChildren(el('p', {class: 'empty'}, 'Nothing is waiting to be sent.'));
      return;
    }
    const rows = groups.slice(0, UPCOMING_GROUPS).map((group) => {
      const n = group.first;
      return el(
          'tr', {'data-id': n.id},
          cell(
              'When', null, timeElement(n.due_local, n.due, zoneOf(n, data)),
              el('span', {class: 'sub'}, relative(n.due, data.status.now))),
          placeCell(n, data), cell('Kind', null, describeKind(n)), cell('Channel', null, n.channel),
          recipientsCell(group));
    });
    const pending = data.status.counts.pending;
    byId('upcoming')
        .replaceChildren(
            table('Next sends', ['When', 'Session', 'Kind', 'Channel', 'Recipients'], rows),
            el('p', {class: 'more'},
               `${pending} ${
                   pending === 1 ? 'notification is' : 'notifications are'} pending in all.`));
  }

  async function retry(notification, button) {
    const outcome = byId('retry-outcome');
    button.disabled = true;
    try {
      await api(`/api/v1/notifications/${encodeURIComponent(notification.id)}/retry`, 'POST');
      outcome.className = 'outcome';
      outcome.textContent =
          `${describeKind(notification)} to ${notification.recipient} will be sent again.`;
    } catch (error) {
      if (error instanceof Refused) return signOut('The token was refused. Enter it again.');
      outcome.className = 'outcome problem';
      outcome.textContent = `Retry of ${notification.recipient} failed: ${error.message}`;
      button.disabled = false;
    }
    refresh();
  }

  function drawFailures(data) {
    const rows = [...data.failed.notifications, ...data.missed.notifications].sort(
        (a, b) =>
            (a.due < b.due     ? 1 :
                 a.due > b.due ? -1 :
                 a.id < b.id   ? -1 :
                                 1));
    if (rows.length === 0) {
      byId('failures').replaceChildren(el('p', {class: 'empty'}, 'No notification has failed.'));
      return;
    }
    const body = rows.map(
        (n) =>
            el('tr', {'data-id': n.id},
               cell('Due', null, timeElement(n.due_local, n.due, zoneOf(n, data))),
               placeCell(n, data),
               cell('Kind', null, describeKind(n), el('span', {class: 'sub'}, n.channel)),
               cell('Recipient', 'recipient', n.recipient),
               cell('State', null, el('span', {class: `chip state-${n.state}`}, n.state)),
               cell(
                   'Server reply', 'reason',
                   n.last_result ||
                       (n.state === 'missed' ?
                            'not sent: its moment passed while the daemon was down' :
                            '—')),
               el('td', {class: 'action'},
                  el('button', {
                    type: 'button',
                    class: 'quiet',
                    'aria-label': `Retry ${n.kind} to ${n.recipient}`,
                    onclick: (event) => retry(n, event.currentTarget)
                  },
                     'Retry'))));
    const total = data.status.counts.failed + data.status.counts.missed;
    byId('failures')
        .replaceChildren(
            table(
                'Failures',
                [
                  'Due', 'Session', 'Kind', 'Recipient', 'State', 'Server reply',
                  el('span', {class: 'visually-hidden'}, 'Action')
                ],
                body),
            rows.length < total ? el('p', {class: 'more'}, `Showing ${rows.length} of ${total}.`) :
                                  '');
  }

  // Participants who used the link in their e-mails: what they stopped, in
  // which series, since when (UTC, as the API records it).
  function drawOptOuts(data) {
    if (data.optOuts.length === 0) {
      byId('opt-outs').replaceChildren(
          el('p', {class: 'empty'}, 'No participant has opted out.'));
      return;
    }
    const body = data.optOuts.map((o) => {
      const series = data.series.find((s) => s.id === o.series);
      return el('tr', null,
                cell('Series', null, series ? series.title : o.series),
                cell('Recipient', 'recipient', o.recipient),
                cell('Stopped', null, o.scope === 'all' ? 'every e-mail' : 'reminders'),
                cell('Since', null, el('time', {datetime: o.at}, formatStamp(o.at))));
    });
    byId('opt-outs').replaceChildren(
        table('Opted out', ['Series', 'Recipient', 'Stopped', 'Since'], body));
  }

  // The series filter of "Recently sent": rebuilt only when the loaded
  // series change, so that a refresh does not close an open select.
  function drawSentFilter(data) {
    const select = byId('sent-series');
    const options = [['', 'All series'], ...data.series.map((s) => [s.id, s.title])];
    const key = JSON.stringify(options);
    if (select.dataset.key !== key) {
      select.replaceChildren(...options.map(([value, label]) => el('option', {value}, label)));
      select.dataset.key = key;
    }
    if (!options.some(([value]) => value === sentView.series)) {
      sentView.series = '';  // its series is gone: show all
      sentView.cursors = [null];
    }
    select.value = sentView.series;
  }

  function drawSent(data) {
    drawSentFilter(data);
    const page = data.sent;
    sentView.next = page.next;
    const first = (sentView.cursors.length - 1) * SENT_ROWS;
    const series = data.series.find((s) => s.id === sentView.series);
    const total = series ? series.counts.sent : data.status.counts.sent;
    const rows = page.notifications.map(
        (n) => el(
            'tr', {'data-id': n.id},
            cell('Due', null, timeElement(n.due_local, n.due, zoneOf(n, data))),
            cell('Sent', null, n.sent_at ? el('time', {datetime: n.sent_at}, formatStamp(n.sent_at)) : '—'),
            placeCell(n, data),
            cell('Kind', null, describeKind(n), el('span', {class: 'sub'}, n.channel)),
            cell('Recipient', 'recipient', n.recipient)));
    byId('sent').replaceChildren(
        rows.length ?
            table('Recently sent, newest first', ['Due', 'Sent', 'Session', 'Kind', 'Recipient'],
                  rows) :
            el('p', {class: 'empty'}, first ? 'No older notification was sent.' : 'Nothing has been sent yet.'));
    byId('sent-position').textContent = rows.length ?
        `${first + 1}–${first + rows.length} of ${Math.max(total, first + rows.length)} sent` :
        '';
    byId('sent-newer').disabled = sentView.cursors.length === 1;
    byId('sent-older').disabled = page.next === null;
  }

  // "Tue 1 Feb 2022" for a local date "2022-02-01".
  function formatDay(text) {
    const parts = parseDay(text);
    return parts ? formatDate(parts) : text;
  }

  // One series' load ahead as a bar chart: a bar per local day, as tall as
  // its count against the busiest day, each titled with its date and count.
  // The bars are hidden from screen readers, which read the same figures
  // from a table only they see.
  function loadChart(series, index) {
    const days = series.load;
    const peak = days.reduce((most, day) => Math.max(most, day.count), 0);
    const total = days.reduce((sum, day) => sum + day.count, 0);
    const busiest = days.find((day) => day.count === peak);
    const captionId = `load-caption-${index}`;
    const bars = days.map((day) => {
      const label = `${formatDay(day.date)}: ${day.count} to send`;
      const fill = el('span', {class: 'fill'});
      fill.style.height = day.count ? `max(2px, ${(100 * day.count) / peak}%)` : '0';
      const weekday = parseDay(day.date);
      return el(
          'li', {
            class: `bar${weekday && weekday.weekday === 1 ? ' monday' : ''}`,
            title: label,
            'data-date': day.date,
            'data-count': day.count
          },
          fill);
    });
    const span = days.length ? `${formatDay(days[0].date)} – ${formatDay(days.at(-1).date)}` : '';
    return el(
        'figure', {class: 'load', 'aria-labelledby': captionId},
        el('figcaption', {id: captionId}, el('strong', null, series.title),
           el('span', {class: 'sub'},
              `${total} to send, ${span}; days in ${series.timezone}` +
                  (peak ? `; busiest ${formatDay(busiest.date)} with ${peak}` : ''))),
        el('ol', {class: 'bars', 'aria-hidden': 'true'}, bars),
        el('p', {class: 'axis', 'aria-hidden': 'true'},
           el('span', null, days.length ? formatDay(days[0].date) : ''),
           el('span', null, days.length ? formatDay(days.at(-1).date) : '')),
        // In a clipped block: a table is never narrower than its content,
        // so on its own it would widen the page (a phone then zooms out).
        el('div', {class: 'visually-hidden'},
           el('table', null,
              el('caption', null,
                 `${series.title}: notifications to send per day, in ${series.timezone}`),
              el('thead', null,
                 el('tr', null, el('th', {scope: 'col'}, 'Day'),
                    el('th', {scope: 'col'}, 'To send'))),
              el('tbody', null,
                 days.map((day) => el('tr', null, el('th', {scope: 'row'}, formatDay(day.date)),
                                      el('td', null, String(day.count))))))));
  }

  function drawLoad(data) {
    const charts = data.details.filter((series) => Array.isArray(series.load))
                       .map((series, index) => loadChart(series, index));
    byId('load').replaceChildren(
        ...(charts.length ? charts : [el('p', {class: 'empty'}, 'No series is loaded.')]));
  }

  function drawReload(data) {
    const report = data.status.last_reload;
    const parts = [];
    if (!report) {
      byId('reload').replaceChildren(el('p', {class: 'empty'}, 'No reload yet.'));
      return;
    }
    const broken = report.files.filter((file) => !file.ok);
    parts.push(el(
        'p', null, `${formatStamp(report.at)}: `,
        report.ok ?
            `all ${report.files.length} series ${
                report.files.length === 1 ? 'file' : 'files'} loaded.` :
            el('strong', {class: 'problem'},
               report.error ? `nothing was loaded: ${report.error}` :
                              `${broken.length} of ${report.files.length} files did not load.`)));
    // What the reload will do that people should see before it happens
    // (cancellations of a deleted session), so a mistake can be undone.
    for (const file of report.files) {
      for (const notice of file.notices || []) {
        parts.push(el('p', {class: 'notice'}, el('strong', null, `${file.series || file.file}: `), notice));
      }
    }
    for (const file of broken) {
      parts.push(
          el('div', {class: 'file-report'}, el('h3', null, file.file),
             el('p', {class: 'muted'},
                file.kept_previous ? 'The previous version of this series stays in force.' :
                                     'Nothing from this file is in force.'),
             el('ul', {class: 'diagnostics'},
                file.errors.map((line) => el('li', null, el('pre', null, line))))));
    }
    if (report.removed.length) {
      parts.push(el('p', null, `Removed (their files are gone): ${report.removed.join(', ')}`));
    }
    byId('reload').replaceChildren(...parts);
  }

  // ---- Flow --------------------------------------------------------------

  let timer = null;
  let running = null;  // the refresh in progress
  let again = false;   // another refresh was asked for meanwhile

  function showSignIn(problem) {
    clearTimeout(timer);
    byId('dashboard').hidden = true;
    byId('sign-out').hidden = true;
    byId('sign-in').hidden = false;
    byId('token-problem').textContent = problem || '';
    byId('connection').textContent = '';
    byId('token').focus();
  }

  function signOut(problem) {
    sessionStorage.removeItem(TOKEN_KEY);
    showSignIn(problem);
  }

  async function refreshOnce() {
    const connection = byId('connection');
    try {
      const data = await readEverything();
      drawAbout(data.status);
      drawOverview(data);
      drawSeries(data);
      drawUpcoming(data);
      drawFailures(data);
      drawOptOuts(data);
      drawSent(data);
      drawLoad(data);
      drawReload(data);
      byId('sign-in').hidden = true;
      byId('dashboard').hidden = false;
      byId('sign-out').hidden = false;
      connection.className = 'connection';
      connection.textContent = `Updated ${browserClock(new Date())}; refreshes every 10 s.`;
    } catch (error) {
      if (error instanceof Refused) {
        const hadToken = sessionStorage.getItem(TOKEN_KEY) !== null;
        signOut(hadToken ? 'The token was refused. Enter it again.' : '');
        return false;
      }
      connection.className = 'connection problem';
      connection.textContent = `Could not read the status: ${error.message}. Trying again in 10 s.`;
    }
    return true;
  }

  async function refresh() {
    if (running) {
      again = true;
      return running;
    }
    clearTimeout(timer);
    running = (async () => {
      let keepGoing;
      do {
        again = false;
        keepGoing = await refreshOnce();
      } while (again && keepGoing);
      running = null;
      if (keepGoing) timer = setTimeout(refresh, REFRESH_MS);
    })();
    return running;
  }

  byId('token-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const token = byId('token').value.trim();
    if (!token) {
      byId('token-problem').textContent = 'Enter the admin token.';
      return;
    }
    if (!/^[\x21-\x7e]+$/.test(token)) {
      byId('token-problem').textContent = 'A token is printable ASCII without spaces.';
      return;
    }
    sessionStorage.setItem(TOKEN_KEY, token);
    byId('token').value = '';
    byId('token-problem').textContent = '';
    refresh();
  });
  byId('sign-out').addEventListener('click', () => signOut(''));
  byId('sent-series').addEventListener('change', (event) => {
    sentView.series = event.currentTarget.value;
    sentView.cursors = [null];
    refresh();
  });
  byId('sent-older').addEventListener('click', () => {
    if (sentView.next === null) return;
    sentView.cursors.push(sentView.next);
    sentView.next = null;  // a second click before the page is drawn goes nowhere
    byId('sent-older').disabled = true;
    refresh();
  });
  byId('sent-newer').addEventListener('click', () => {
    if (sentView.cursors.length > 1) sentView.cursors.pop();
    refresh();
  });

  if (sessionStorage.getItem(TOKEN_KEY))
    refresh();
  else
    showSignIn('');
})();

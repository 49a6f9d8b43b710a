// The messages the tests in this folder look at: notifier_render_gallery
// run on every bundled example (examples/*.toml), and each e-mail decoded
// by tests/fixtures/inspect_email.py (Python's own `email` package, which
// shares no code with Kutsu's GMime), as a mail client would decode it.
import {execFile} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';

const run = promisify(execFile);

export function env(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; run this test through ctest`);
  return value;
}

export function examples() {
  const dir = path.join(env('KUTSU_SOURCE_DIR'), 'examples');
  const files = fs.readdirSync(dir).filter((name) => name.endsWith('.toml')).sort();
  if (files.length === 0) throw new Error(`no examples in ${dir}`);
  return files.map((name) => path.join(dir, name));
}

async function inspect(file) {
  const child = run(env('KUTSU_PYTHON'),
                    [path.join(env('KUTSU_SOURCE_DIR'), 'tests/fixtures/inspect_email.py')],
                    {maxBuffer: 64 << 20});
  child.child.stdin.end(fs.readFileSync(file));
  const {stdout} = await child;
  return JSON.parse(stdout);
}

function leaves(part, out = []) {
  if (part.children) {
    for (const child of part.children) leaves(child, out);
  } else {
    out.push(part);
  }
  return out;
}

// [{series, name, file, html, text, calendar}] for every .eml, where
// `calendar` is the text of its text/calendar part (null for reminders),
// and {series: feed text} for the feeds.
export async function renderGallery() {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'kutsu-gallery-'));
  try {
    await run(env('KUTSU_RENDER_GALLERY'), [out, ...examples()]);
    const mails = [];
    const feeds = {};
    const jobs = [];
    for (const series of fs.readdirSync(out).sort()) {
      for (const name of fs.readdirSync(path.join(out, series)).sort()) {
        const file = path.join(out, series, name);
        if (name === 'feed.ics') {
          feeds[series] = fs.readFileSync(file, 'utf8');
          continue;
        }
        jobs.push({series, name, file});
      }
    }
    // Two at a time: the machine has two cores.
    for (let i = 0; i < jobs.length; i += 2) {
      await Promise.all(jobs.slice(i, i + 2).map(async (job) => {
        const mail = await inspect(job.file);
        const parts = leaves(mail.parts);
        const text = (type) => parts.find((part) => part.content_type === type)?.text ?? null;
        mails.push({...job, html: text('text/html'), text: text('text/plain'),
                    calendar: text('text/calendar')});
      }));
    }
    mails.sort((a, b) => (a.series + a.name).localeCompare(b.series + b.name));
    return {mails, feeds};
  } finally {
    fs.rmSync(out, {recursive: true, force: true});
  }
}

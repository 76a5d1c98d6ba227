// Lighthouse's CLI for several pages in one browser (tests/test_page_audits.py):
//
//   node tests/lighthouse.mjs TOOLS OUT CHROME_FLAGS SETTINGS_JSON URL...
//
// launches Chrome once as the CLI does (chrome-launcher with CHROME_PATH and the CLI's
// default flags, plus CHROME_FLAGS), audits each URL in turn, each in a new tab, with the
// settings SETTINGS_JSON, and writes URL number i's JSON report to OUT/i.json. Lighthouse
// and chrome-launcher are the ones installed in TOOLS (.venv/tools/node_modules). A CLI per
// page would start Node, load Lighthouse and start Chrome again for each.
import {writeFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {join} from 'node:path';
import {pathToFileURL} from 'node:url';

const [tools, out, chromeFlags, settings, ...urls] = process.argv.slice(2);
const load = (file) => import(pathToFileURL(file).href);
const {default: lighthouse} = await load(join(tools, 'lighthouse', 'core', 'index.js'));
// The chrome-launcher Lighthouse itself resolves, whichever folder npm put it in.
const requireFromLighthouse = createRequire(join(tools, 'lighthouse', 'package.json'));
const chromeLauncher = await load(requireFromLighthouse.resolve('chrome-launcher'));

const chrome = await chromeLauncher.launch({chromeFlags: chromeFlags.split(' ')});
try {
  for (const [index, url] of urls.entries()) {
    const result = await lighthouse(url, {...JSON.parse(settings), port: chrome.port});
    if (!result || result.lhr.runtimeError) {
      throw new Error(`${url}: ${JSON.stringify(result?.lhr.runtimeError)}`);
    }
    writeFileSync(join(out, `${index}.json`), result.report);
  }
} finally {
  chrome.kill();
}

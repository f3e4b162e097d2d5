import type { BoardReport } from './board';
import { esc as xmlEscape } from './escape';
import type { Verdict } from './contract';
import { scenarioVerdict, type ScenarioResult } from './verdicts';


/**
 * JUnit XML by verdict rather than by Cucumber status, so that CI dashboards agree with the
 * report: known failures and not-supported outcomes are `skipped` (with the reason), unresolved
 * scenarios are `error`s, fails and unexpected passes are `failure`s. No timestamp attribute, so
 * the file is reproducible.
 */
export function junitXml(b: BoardReport): string {
  const reasonOf = new Map(b.requirements.map((r) => [r.id, r.expectation?.reason]));
  const reqs = new Map(b.requirements.map((r) => [r.id, r]));
  const cases = b.scenarios.map((s) => testcase(s, scenarioVerdict(s, reqs), reasonOf));
  const count = (k: string) => cases.filter((c) => c.kind === k).length;
  const seconds = (b.scenarios.reduce((n, s) => n + s.durationNs, 0) / 1e9).toFixed(3);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuite name="${xmlEscape(b.board)}" tests="${cases.length}" failures="${count('failure')}" errors="${count('error')}" skipped="${count('skipped')}" time="${seconds}">`,
    ...cases.map((c) => c.xml),
    '</testsuite>',
    '',
  ].join('\n');
}

function testcase(s: ScenarioResult, verdict: Verdict, reasonOf: ReadonlyMap<string, string | undefined>): { kind: string; xml: string } {
  const name = `${s.requirements.length ? s.requirements.join(' ') + ': ' : ''}${s.pickle.name}`;
  const head = `  <testcase classname="${xmlEscape(s.pickle.feature)}" name="${xmlEscape(name)}" time="${(s.durationNs / 1e9).toFixed(3)}"`;
  const msg = xmlEscape(s.message ?? '');
  const reason = xmlEscape(s.requirements.map((r) => reasonOf.get(r)).find((x) => x) ?? '');
  switch (verdict) {
    case 'pass':
      return { kind: 'pass', xml: `${head}/>` };
    case 'not-supported':
      return { kind: 'skipped', xml: `${head}>\n    <skipped message="not-supported: ${msg}"/>\n  </testcase>` };
    case 'known-fail':
      return { kind: 'skipped', xml: `${head}>\n    <skipped message="known-fail: ${reason}">${msg}</skipped>\n  </testcase>` };
    case 'unexpected-pass':
      return { kind: 'failure', xml: `${head}>\n    <failure message="unexpected pass of a known failure: ${reason}" type="unexpected-pass"/>\n  </testcase>` };
    case 'fail':
      return { kind: 'failure', xml: `${head}>\n    <failure message="${msg.split('\n')[0]}" type="fail">${msg}</failure>\n  </testcase>` };
    case 'unresolved':
      return { kind: 'error', xml: `${head}>\n    <error message="${msg.split('\n')[0]}" type="unresolved">${msg}</error>\n  </testcase>` };
  }
}

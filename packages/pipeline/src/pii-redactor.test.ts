import { test } from 'vitest';
import { redactPii, REDACT_ALL_PII } from './pii-redactor.js';
test('perf', () => {
  const M = 1_000_000;
  const inputs: Record<string, string> = {
    a: 'a'.repeat(M), dotted: 'a.'.repeat(M / 2), at: 'a@'.repeat(M / 2), atdot: 'a@b.'.repeat(M / 4),
    dom: 'x@' + 'b.'.repeat(M / 2 - 1), digits: '1'.repeat(M), spaced: '1 '.repeat(M / 2), s2: '11 '.repeat(M / 3), s3: '123 '.repeat(M / 4), s4: '0 '.repeat(M/2), s5: '1234 '.repeat(M/5), s6:'+1 2 '.repeat(M/5), dash: '1-'.repeat(M / 2),
    zero: '01 '.repeat(M / 3), dots: '1.'.repeat(M / 2), hex: 'a:'.repeat(M / 2), hexdd: 'a::'.repeat(M / 3),
    plus: '+1 '.repeat(M / 3), paren: '(1) '.repeat(M / 4), obf: 'a [at] b [dot] '.repeat(M / 15), colons: ':'.repeat(M),
    ip: '1.1.1.1.'.repeat(M / 8), mixed: 'a1.b2@c3-d4 5(6) +7:8.'.repeat(M / 22), sp: ' '.repeat(M), at2: '@'.repeat(M),
    localrun: 'a.b_c+d-'.repeat(M / 8), email: 'ab@cd.ef '.repeat(M / 9), phone: '212-555-0123 '.repeat(M / 13),
  };
  for (const [name, s] of Object.entries(inputs)) {
    const t = performance.now();
    redactPii(s, REDACT_ALL_PII);
    console.log(name, Math.round(performance.now() - t));
  }
});

// Staff removed from the directory (active: false) keep their record for the history, and nothing else:
// they can neither act on a case nor see who reported.
import { describe, expect, it } from 'vitest';
import { authorizeOn } from '../../services/cases/performer.js';
import { reporterFor } from '../../services/privacy.js';
import type { StaffDoc } from '../../models/staff.js';
import { caseDoc } from '../support/case-doc.js';

const duty = (active: boolean) => ({ _id: 'liqiang', name: '李强', site: 'city', roles: ['duty_officer'], identities: [], active }) as unknown as StaffDoc;

describe('deactivated staff', () => {
  const doc = caseDoc({});
  it('may not act on a case', () => {
    expect(() => authorizeOn(doc, { kind: 'staff', staff: duty(true) }, 'classify')).not.toThrow();
    expect(() => authorizeOn(doc, { kind: 'staff', staff: duty(false) }, 'classify')).toThrow(/不在工作人员名录中/);
  });
  it('sees no identity, even when asking to reveal it', () => {
    expect(reporterFor(doc, { kind: 'staff', staff: duty(true) }).visibility).toBe('masked');
    expect(reporterFor(doc, { kind: 'staff', staff: duty(false) }, { reveal: true })).toEqual({ visibility: 'hidden' });
  });
});

import { describe, expect, it } from 'vitest';
import { CASE_EVENT_TYPES, HANDLING_RECORD_KINDS } from '../../machines/case-lifecycle.js';
import {
  ACTION_LABELS_ZH,
  actionFor,
  authorize,
  CASE_ACTIONS,
  type CaseAction,
  can,
  ForbiddenError,
  PERMISSIONS,
  ROLE_LABELS_ZH,
} from '../../machines/permissions.js';
import { ROLES, type Role } from '../../models/vocabulary.js';

// The role table as the source document's 工作机制 reads, written out independently of the
// module so that a change to PERMISSIONS has to be made twice, on purpose.
const SPEC: Record<Exclude<CaseAction, 'issueTransfer'>, Role[]> = {
  register: ['window_clerk', 'duty_officer', 'admin'],
  assign: ['duty_officer', 'supervision', 'admin'],
  viewCase: [...ROLES],
  viewFullIdentity: ['window_clerk', 'duty_officer', 'supervision', 'admin'],
  classify: ['duty_officer', 'supervision', 'admin'],
  reclassify: ['duty_officer', 'supervision', 'admin'],
  markOutOfScope: ['duty_officer', 'supervision'],
  settleUnits: ['duty_officer', 'supervision', 'admin'],
  flagAgitated: [...ROLES],
  calmCitizen: ['supervision'],
  recordHandling: ['window_clerk', 'duty_officer', 'supervision', 'coordination'],
  holdMeeting: ['duty_officer', 'supervision', 'coordination', 'reform', 'legal_policy'],
  informLeader: ['duty_officer', 'supervision'],
  openComplaint: ['supervision'],
  draftTransfer: ['window_clerk', 'duty_officer'],
  unitAck: ['unit_liaison'],
  unitReply: ['unit_liaison', 'coordination', 'supervision'],
  resolve: ['window_clerk', 'duty_officer', 'supervision'],
  firstFeedback: ['window_clerk', 'duty_officer'],
  reply: ['window_clerk', 'duty_officer'],
  followUp: ['window_clerk'],
  handleDissatisfied: ['supervision'],
  archive: ['window_clerk', 'supervision'],
  withdraw: ['window_clerk'],
};

const cases = Object.entries(SPEC) as Array<[Exclude<CaseAction, 'issueTransfer'>, Role[]]>;

describe('role table', () => {
  it('should have a row and a Chinese label for every action, and a label for every role', () => {
    expect(Object.keys(PERMISSIONS).sort()).toEqual([...CASE_ACTIONS].sort());
    for (const a of CASE_ACTIONS) expect(ACTION_LABELS_ZH[a]).toMatch(/\p{Script=Han}/u);
    for (const r of ROLES) expect(ROLE_LABELS_ZH[r]).toMatch(/\p{Script=Han}/u);
  });

  it.each(cases)('should let exactly the listed roles %s', (action, allowed) => {
    for (const role of ROLES) {
      expect([role, can([role], action)]).toEqual([role, allowed.includes(role)]);
    }
  });

  it('should let someone with several roles act through any one of them', () => {
    expect(can(['unit_liaison', 'supervision'], 'openComplaint')).toBe(true);
    expect(can([], 'viewCase')).toBe(false);
  });

  it('should never show a unit liaison or a leader the reporter’s full identity', () => {
    expect(can(['unit_liaison'], 'viewFullIdentity')).toBe(false);
    expect(can(['leader'], 'viewFullIdentity')).toBe(false);
  });
});

describe('transfer slips by situation', () => {
  it('should let only 业务协调科 transfer a not-stationed matter', () => {
    const ok = ROLES.filter((r) => can([r], 'issueTransfer', { category: 'NOT_STATIONED' }));
    expect(ok).toEqual(['coordination']);
  });

  it('should let only 效能督查科 transfer an authority-unclear matter to 市便民服务中心', () => {
    const ok = ROLES.filter((r) => can([r], 'issueTransfer', { category: 'AUTHORITY_UNCLEAR' }));
    expect(ok).toEqual(['supervision']);
  });

  it('should let nobody transfer a situation handled at the window, or a case without a category', () => {
    for (const category of ['GENERAL', 'COMPLEX', 'IRREGULAR_SERVICE'] as const) {
      expect(can([...ROLES], 'issueTransfer', { category })).toBe(false);
    }
    expect(can([...ROLES], 'issueTransfer')).toBe(false);
  });
});

describe('ForbiddenError', () => {
  it('should name the action, the caller’s roles and the roles that may do it', () => {
    const err = (() => {
      try {
        authorize(['unit_liaison'], 'viewFullIdentity');
      } catch (e) {
        return e;
      }
      throw new Error('expected a ForbiddenError');
    })();
    expect(err).toBeInstanceOf(ForbiddenError);
    expect((err as ForbiddenError).allowedRoles).toEqual(['window_clerk', 'duty_officer', 'supervision', 'admin']);
    expect((err as ForbiddenError).message).toBe(
      '无权执行“查看反映人完整身份信息”（你的角色：承办单位联络员）。可以执行的角色：窗口工作人员、当日大厅巡导员、效能督查科、系统管理员。',
    );
  });

  it('should tell a wrong section who transfers which situation', () => {
    expect(() => authorize(['supervision'], 'issueTransfer', { category: 'NOT_STATIONED' })).toThrow(
      '无权执行“转办”（你的角色：效能督查科）。可以执行的角色：业务协调科。',
    );
    expect(() => authorize(['coordination'], 'issueTransfer')).toThrow(
      /须先确定事项类别：未进驻事项由业务协调科转办，审批主体不明事项由效能督查科转办。/,
    );
  });

  it('should pass silently for an allowed role', () => {
    expect(() => authorize(['window_clerk'], 'followUp')).not.toThrow();
  });
});

describe('actionFor: lifecycle events to staff actions', () => {
  it('should map every lifecycle event type to an action in the table', () => {
    const samples = {
      CLASSIFY: { type: 'CLASSIFY', category: 'GENERAL' },
      RECLASSIFY: { type: 'RECLASSIFY', category: 'GENERAL' },
      RECORD: { type: 'RECORD', kind: 'note' },
      RESOLVE: { type: 'RESOLVE', outcome: 'handled', hasBasis: false },
      FOLLOW_UP: { type: 'FOLLOW_UP', satisfaction: 'satisfied' },
    } as const;
    for (const type of CASE_EVENT_TYPES) {
      const event = type in samples ? samples[type as keyof typeof samples] : ({ type } as never);
      expect(CASE_ACTIONS).toContain(actionFor(event, 'handling'));
    }
  });

  it('should make a RESOLVE in rehandling supervision’s answer to the dissatisfied citizen', () => {
    const event = { type: 'RESOLVE', outcome: 'explained', hasBasis: false } as const;
    expect(actionFor(event, 'handling')).toBe('resolve');
    expect(actionFor(event, 'rehandling')).toBe('handleDissatisfied');
    expect(can(['window_clerk'], actionFor(event, 'rehandling'))).toBe(false);
  });

  it('should route handling records by kind: meetings, complaint steps and leader reports have their own roles', () => {
    const byKind = Object.fromEntries(HANDLING_RECORD_KINDS.map((kind) => [kind, actionFor({ type: 'RECORD', kind }, 'handling')]));
    expect(byKind).toEqual({
      on_site: 'recordHandling',
      one_time_notice: 'recordHandling',
      refusal_notice: 'recordHandling',
      meeting: 'holdMeeting',
      complaint_step: 'openComplaint',
      leader_informed: 'informLeader',
      note: 'recordHandling',
    });
    expect(can(['window_clerk'], byKind.complaint_step)).toBe(false);
  });

  it('should keep follow-up with the window and transfers with the sections', () => {
    expect(actionFor({ type: 'FOLLOW_UP', satisfaction: 'dissatisfied' }, 'replied')).toBe('followUp');
    expect(actionFor({ type: 'TRANSFER' }, 'handling')).toBe('issueTransfer');
    expect(actionFor({ type: 'UNIT_REPLY' }, 'transferred')).toBe('unitReply');
    expect(actionFor({ type: 'CALMED' }, 'registered')).toBe('calmCitizen');
    expect(actionFor({ type: 'WITHDRAW' }, 'resolved')).toBe('withdraw');
  });
});

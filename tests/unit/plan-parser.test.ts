import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { repairMojibake } from '../../lib/import/mojibake';
import { loadPlan, parsePlan, PlanParseError, roleFromText, stripEmoji } from '../../lib/import/plan-parser';

const FIXTURE = new URL('../../prisma/fixtures/PROXIMOS_PASSOS_CHECKLIST.md', import.meta.url);
const raw = readFileSync(FIXTURE, 'utf8');
const { plan, repair } = loadPlan(raw);
const repairedText = repair.text;

/** The repaired plan with one line (1-based) replaced, or removed when `replacement` is null. */
function editLine(lineNumber: number, replacement: string | null): string {
  const lines = repairedText.split('\n');
  lines.splice(lineNumber - 1, 1, ...(replacement === null ? [] : [replacement]));
  return lines.join('\n');
}

function parseError(markdown: string): PlanParseError {
  try {
    parsePlan(markdown);
  } catch (error) {
    if (error instanceof PlanParseError) return error;
    throw error;
  }
  throw new Error('parsePlan did not throw');
}

describe('loadPlan on the sample plan', () => {
  it('repairs before parsing', () => {
    expect(repair.codepage).toBe('windows-1254');
    expect(parsePlan(repairedText)).toEqual(plan);
  });

  it('reads the header', () => {
    expect(plan.title).toBe('PRÓXIMOS PASSOS - CHECKLIST FINAL');
    expect(plan.createdOn).toBe('2025-12-07');
  });

  it('lists every document once, the five numbered ones first', () => {
    const paths = plan.documents.map((d) => d.path);
    expect(new Set(paths).size).toBe(paths.length);
    expect(plan.documents).toHaveLength(17);
    expect(paths.slice(0, 5)).toEqual([
      'docs/PHASE_1_REPLICA_PLAN.md',
      'PRODUCTION_DEPLOYMENT_CHECKLIST.md',
      'TEAM_HANDOFF_DOCUMENTATION.md',
      'MONITORING_SETUP_GUIDE.md',
      'EXECUTIVE_SUMMARY.md',
    ]);
    expect(paths).toEqual(
      expect.arrayContaining([
        '../30-iterations/results/ITERATION_5_SUMMARY.md',
        '../30-iterations/results/START_HERE_ITERATION5_COMPLETE.md',
        'PROXIMOS_PASSOS_CHECKLIST.md',
        'docs/Projeto.md',
        'docs/DB_Hive_Implementacao.md',
        'src/tests/README.md',
        'docs/INDICE_DOCUMENTACAO.md',
        'README.md',
      ]),
    );
    expect(new Set(plan.documents.map((d) => d.key)).size).toBe(17);
  });

  it('keeps the content and action of the numbered documents', () => {
    expect(plan.documents[0]).toEqual({
      key: 'phase-1-replica-plan',
      title: 'Phase 1 Planning',
      path: 'docs/PHASE_1_REPLICA_PLAN.md',
      summary: [
        'Arquitetura de Alta Disponibilidade & Replicação (opcional) (3 nodes/replicas + load balancing opcional)',
        'Roadmap 3 semanas (infra + CDC + HA)',
        'Risks & mitigation',
        'Resource requirements ($50-100K + $10K/month)',
      ],
      action: 'Leia para aprovação de Phase 1',
    });
    expect(plan.documents.slice(0, 5).map((d) => d.summary.length)).toEqual([4, 4, 5, 5, 5]);
    expect(plan.documents.slice(0, 5).every((d) => d.action !== undefined)).toBe(true);
    expect(plan.documents[3]?.action).toBe(
      'Implemente APÓS HA/Replicação estável (Phase 4). A expansão multi-cluster é opcional.',
    );
  });

  it('derives titles from file names for the other documents', () => {
    const byPath = new Map(plan.documents.map((d) => [d.path, d]));
    expect(byPath.get('../30-iterations/results/ITERATION_5_SUMMARY.md')).toMatchObject({
      key: 'iteration-5-summary',
      title: 'Iteration 5 Summary',
      summary: ['1-pager executivo'],
    });
    expect(byPath.get('docs/INDICE_DOCUMENTACAO.md')).toMatchObject({ title: 'Indice Documentacao', summary: ['Central index'] });
    expect(byPath.get('README.md')).toMatchObject({ key: 'readme', title: 'README', summary: ['Getting started'] });
    expect(byPath.get('src/tests/README.md')).toMatchObject({ key: 'tests-readme', summary: [] });
    expect(byPath.get('PROXIMOS_PASSOS_CHECKLIST.md')?.summary).toEqual(['Este arquivo']);
    expect(byPath.get('docs/DB_Hive_Implementacao.md')?.title).toBe('DB Hive Implementacao');
  });

  it('reads the immediate checklist with owner roles', () => {
    expect(plan.immediate).toEqual([
      { text: 'Executive reads EXECUTIVE_SUMMARY.md', ownerRole: 'EXECUTIVE' },
      { text: 'Operations Manager reviews Team Handoff docs', ownerRole: 'OPS_MANAGER' },
      { text: 'Security Officer approves policies', ownerRole: 'SECURITY_OFFICER' },
      { text: 'Finance approves budget', ownerRole: 'FINANCE' },
      { text: 'Deployment date confirmed', ownerRole: null },
    ]);
  });

  it('reads the next-24-hours actions: 4 roles x 4 items', () => {
    expect(plan.nextDay.map((d) => d.role)).toEqual(['DEV_LEAD', 'OPS_MANAGER', 'EXECUTIVE', 'SECURITY_OFFICER']);
    expect(plan.nextDay.map((d) => d.items.length)).toEqual([4, 4, 4, 4]);
    expect(plan.nextDay[2]?.items[2]).toBe('Approve Phase 1 budget ($150K total)');
    expect(plan.nextDay[3]?.items[0]).toBe('Review `docs/Projeto.md` Section 18.6');
  });

  it('reads four phases, including PHASE 3 behind a stray "-"', () => {
    expect(plan.phases.map((p) => p.number)).toEqual([1, 2, 3, 4]);
    expect(plan.phases.map((p) => p.items.length)).toEqual([5, 5, 5, 7]);
    expect(plan.phases.map((p) => p.name)).toEqual([
      'Production Deployment',
      'Team Training & Operations',
      'Replica & Optional Multi-cluster Phase',
      'Monitoring',
    ]);
    expect(plan.phases.map((p) => p.checklistName)).toEqual([
      'Deployment',
      'Team Training & Operations',
      'Replica / Multi-cluster Planning',
      'Monitoring',
    ]);
    expect(plan.phases.map((p) => p.window)).toEqual(['Week 1-2', 'Week 2-3', 'Week 4+, Jan 2026', 'Later, Fevereiro+']);
    expect(plan.phases.map((p) => p.roadmapWindow)).toEqual(['SEMANA 1-2', 'SEMANA 2-3', 'SEMANA 4+, Jan 2026', 'Fevereiro+, ÚLTIMO']);
    expect(plan.phases.map((p) => p.goal)).toEqual(['MVP LIVE', 'Operações Estáveis', 'Escalabilidade', 'Observabilidade Avançada']);
    expect(plan.phases.map((p) => p.optional)).toEqual([false, false, true, false]);
  });

  it('keeps item texts as written and flags "(opcional)" items', () => {
    const phase3 = plan.phases[2];
    expect(phase3?.items).toEqual([
      { text: 'Phase 1 procurement initiated (opcional)', optional: true },
      { text: 'Replica planning begins (opcional)', optional: true },
      { text: 'Architecture review approved', optional: false },
      { text: 'Continuous optimization starts', optional: false },
      { text: 'Kafka setup planned', optional: false },
    ]);
    expect(plan.phases.flatMap((p) => p.items).filter((i) => i.optional)).toHaveLength(2);
    expect(plan.phases[0]?.items[4]?.text).toBe('Go/No-go decision made');
    expect(plan.phases[3]?.items[6]?.text).toBe('Next iteration planned');
    expect(plan.phases[0]?.roadmap).toEqual(['Deployments staging (Iter 5)', 'Exec approval', 'Deploy em produção']);
  });

  it('reads the reading lists: 5 roles x 3 entries with minutes', () => {
    expect(plan.readingLists.map((r) => r.role)).toEqual(['EXECUTIVE', 'OPS_MANAGER', 'DEVOPS', 'DBA', 'DATA_ENGINEER']);
    expect(plan.readingLists.map((r) => r.entries.map((e) => e.minutes))).toEqual([
      [20, 10, 30],
      [30, 20, 20],
      [20, 30, 30],
      [30, 20, 20],
      [30, 20, 10],
    ]);
    expect(plan.readingLists[0]?.entries[2]).toEqual({ path: 'docs/Projeto.md', minutes: 30, sectionHint: 'Sections 1-5' });
    expect(plan.readingLists[3]?.entries[2]).toEqual({ path: 'MONITORING_SETUP_GUIDE.md', minutes: 20, sectionHint: 'Sections CDC' });
    expect(plan.readingLists[4]?.entries[2]).toEqual({ path: 'src/tests/README.md', minutes: 10, sectionHint: null });
    expect(plan.readingLists[0]?.decisions).toEqual(['Aprovação de deploy', 'Aprovação de budget Phase 1', 'Continuação vs pivoting']);
    expect(plan.readingLists.map((r) => r.decisions.length)).toEqual([3, 3, 3, 3, 3]);
  });

  it('reads success criteria, contacts and summary', () => {
    expect(plan.successCriteria.map((g) => [g.group, g.items.length])).toEqual([
      ['DEPLOYMENT', 5],
      ['MONITORING', 5],
      ['OPERATIONS', 5],
    ]);
    expect(plan.successCriteria[0]?.items[3]).toBe('Zero data loss');
    expect(plan.contacts).toEqual([
      // `label` is the plan's own words ("- **Data:** Data Engineer Lead"), kept as written.
      { topic: 'Deployment', role: 'DEV_LEAD', label: 'Development Lead' },
      { topic: 'Operations', role: 'OPS_MANAGER', label: 'Operations Manager' },
      { topic: 'Infrastructure', role: 'DEVOPS', label: 'DevOps Engineer' },
      { topic: 'Database', role: 'DBA', label: 'DBA' },
      { topic: 'Data', role: 'DATA_ENGINEER', label: 'Data Engineer Lead' },
      { topic: 'Security', role: 'SECURITY_OFFICER', label: 'Security Officer' },
      { topic: 'Executive', role: 'EXECUTIVE', label: 'CTO/VP Engineering' },
    ]);
    expect(plan.summary).toEqual({
      achieved: [
        'Iteração 5 completa (90% do projeto)',
        '6 documentos de próximos passos criados',
        'Plano claro até Q4 2026',
        'Time pronto para execução',
      ],
      next: ['Deployment em staging', 'Exec approval e sign-off', 'Team training iniciado'],
      later: ['Monitoring setup', 'Production deployment', '24/7 operations iniciada'],
    });
  });

  it('reads the timeline as offsets from the creation date', () => {
    expect(plan.milestones.map((m) => [m.key, m.offsetDays, m.endOffsetDays])).toEqual([
      ['hoje', 0, null],
      ['week-1', 1, 7],
      ['week-2-3', 8, 21],
      ['week-4-plus', 22, null],
      ['q1-2026', 25, 114], // 2026-01-01 .. 2026-03-31
      ['fevereiro-plus', 56, null], // the roadmap's Phase 4 "(Fevereiro+, ÚLTIMO)": 2026-02-01 on
    ]);
    expect(plan.milestones[0]).toMatchObject({
      label: 'HOJE (7 de dezembro)',
      details: ['✅ Documentação criada', '✅ Iteração 5 concluída', '⏳ AGUARDA EXECUÇÃO PRÓXIMOS PASSOS'],
    });
    expect(plan.milestones.slice(0, 5).every((m) => m.details.length === 3)).toBe(true);
    expect(plan.milestones[5]).toMatchObject({ label: 'Fevereiro+', details: ['PHASE 4: Monitoring', 'Prometheus + Grafana', 'Alerting configuration', 'superset.gti.local creation'] });
  });
});

describe('parsePlan errors', () => {
  it('names a missing section and where it was expected', () => {
    const lines = repairedText.split('\n');
    const heading = lines.indexOf('## 🎯 Success Criteria') + 1;
    expect(heading).toBe(302);
    const error = parseError(editLine(heading, null));
    expect(error).toBeInstanceOf(PlanParseError);
    expect(error.message).toContain('"## Success Criteria" is missing');
    // "## 📞 Who to Contact" moved up from line 327 to 326.
    expect(error.line).toBe(326);
    expect(error.message).toContain('(line 326)');
  });

  it('reports a phase missing from the checklist at the checklist heading', () => {
    expect(repairedText.split('\n')[214]).toBe('-### PHASE 3: Replica / Multi-cluster Planning (Week 4+, Jan 2026)');
    const error = parseError(editLine(215, null));
    expect(error.message).toContain('PHASE 3');
    expect(error.line).toBe(192);
  });

  it('reports a malformed reading-list entry at its line', () => {
    const error = parseError(editLine(238, '1. EXECUTIVE_SUMMARY.md'));
    expect(error.message).toContain('has no "(<n> min)" duration');
    expect(error.line).toBe(238);
  });

  it('reports an unknown role at its line', () => {
    const error = parseError(editLine(336, '- **Executive:** Board of Directors'));
    expect(error.message).toContain('Unknown role "Board of Directors"');
    expect(error.line).toBe(336);
  });

  it('requires the creation date', () => {
    // The footer repeats it (line 381), so both have to go.
    const withoutDates = repairedText
      .split('\n')
      .map((line) => (line.startsWith('**Criado:**') ? '**Criado:** algum dia' : line))
      .join('\n');
    const error = parseError(withoutDates);
    expect(error.message).toContain('Criado');
    expect(error.line).toBe(9);
  });

  it('hints at the repair when given the raw, mojibaked text', () => {
    const error = parseError(raw);
    expect(error.message).toContain('mojibaked');
  });

  it('still parses when the repair had nothing to do', () => {
    expect(repairMojibake(repairedText).codepage).toBeNull();
    expect(loadPlan(repairedText).plan).toEqual(plan);
  });
});

describe('helpers', () => {
  it('infers roles from free text', () => {
    expect(roleFromText('Data Engineer Lead')).toBe('DATA_ENGINEER');
    expect(roleFromText('CTO/VP Engineering')).toBe('EXECUTIVE');
    expect(roleFromText('DevOps Engineer')).toBe('DEVOPS');
    expect(roleFromText('Operations Manager reviews Team Handoff docs')).toBe('OPS_MANAGER');
    expect(roleFromText('Deployment date confirmed')).toBeNull();
  });

  it('strips emoji from headings', () => {
    expect(stripEmoji('🚀 PRÓXIMOS PASSOS - CHECKLIST FINAL')).toBe('PRÓXIMOS PASSOS - CHECKLIST FINAL');
    expect(stripEmoji('⚠️ Atenção © 2025')).toBe('Atenção © 2025');
  });
});

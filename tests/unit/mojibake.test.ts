import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { looksMojibaked, repairMojibake, type Codepage } from '../../lib/import/mojibake';

const FIXTURE = new URL('../../prisma/fixtures/PROXIMOS_PASSOS_CHECKLIST.md', import.meta.url);
const raw = readFileSync(FIXTURE, 'utf8');
const repaired = repairMojibake(raw);
const repairedLines = repaired.text.split('\n');

/** Lines of the sample that lost bytes Windows-1254 does not define (or a soft hyphen). */
const DAMAGED_LINES = [74, 79, 80, 125, 161, 186, 233, 302, 327, 340, 354, 355, 356, 373];

/** What a wrong decoder does: UTF-8 bytes read as a single-byte code page. */
function misdecode(text: string, codepage: Codepage): string {
  return iconv.decode(Buffer.from(text, 'utf8'), codepage);
}

/** What happens next on real files: undefined bytes and soft hyphens vanish. */
function dropInvisible(text: string): string {
  return text.replace(/[\uFFFD\u00AD]/g, '');
}

describe('repairMojibake on the sample plan', () => {
  it('detects Windows-1254 and leaves no mojibake behind', () => {
    expect(looksMojibaked(raw)).toBe(true);
    expect(repaired.codepage).toBe('windows-1254');
    // "Ã" itself is fine in "EXECUÇÃO"; followed by a Latin-1/Windows punctuation character it is not.
    expect(repaired.text).not.toMatch(/Ã[\u0080-\u00BF\u0152\u0153\u0160\u0161\u0178\u017D\u017E\u0192\u02C6\u02DC\u2013-\u203A\u20AC\u2122]/);
    expect(repaired.text).not.toMatch(/Ã\p{Ll}|ğŸ|ðŸ|â”|â•|âœ|â€|â†|\uFFFD/u);
    expect(looksMojibaked(repaired.text)).toBe(false);
    expect(repaired.unresolved).toEqual([]);
    expect(repairedLines).toHaveLength(raw.split('\n').length);
  });

  it('restores known strings', () => {
    expect(repairedLines[0]).toBe('# 🚀 PRÓXIMOS PASSOS - CHECKLIST FINAL');
    expect(repairedLines[78]).toBe('├─ ✅ Iteração 5 concluída');
    expect(repairedLines[79]).toBe('└─ ⏳ AGUARDA EXECUÇÃO PRÓXIMOS PASSOS');
    expect(repairedLines[160]).toBe('═'.repeat(55));
    expect(repairedLines[372]).toBe('9. `PROXIMOS_PASSOS_CHECKLIST.md` ← Este');
    expect(repairedLines[73]).toBe('## 🎯 Timeline de Execução');
    expect(repairedLines[339]).toBe('## 🎊 Summary');
    for (const expected of ['PRÓXIMOS PASSOS', 'concluída', '═', '⏳', '←', '🎯', '🚀', '├─', 'ÚLTIMO', 'Avançada']) {
      expect(repaired.text).toContain(expected);
    }
  });

  it('agrees with a plain re-encode on every line that lost no byte', () => {
    const rawLines = raw.split('\n');
    let intact = 0;
    rawLines.forEach((line, index) => {
      const plain = iconv.decode(iconv.encode(line, 'windows-1254'), 'utf8');
      if (plain.includes('\uFFFD')) return;
      intact++;
      expect(repairedLines[index]).toBe(plain);
    });
    // 372 of the 386 lines (the split also yields the empty string after the final newline).
    expect(intact).toBe(373);
  });

  it('reports a note for every spot where a byte was missing, and only there', () => {
    expect([...new Set(repaired.notes.map((n) => n.line))]).toEqual(DAMAGED_LINES);
    for (const note of repaired.notes) {
      expect(note.candidates[0]).toBe(note.chosen);
      expect(repairedLines[note.line - 1]).toContain(note.chosen);
    }
    expect(repaired.changedLines).toBe(
      raw.split('\n').filter((line, index) => line !== repairedLines[index]).length,
    );
  });

  it('ranks the candidates for a missing third byte of 🎯 (F0 9F ?? AF)', () => {
    const target = repaired.notes.find((n) => n.line === 74);
    expect(target).toMatchObject({ column: 4, original: 'ğŸ¯', chosen: '🎯', confident: true });
    expect(target?.candidates).toEqual(expect.arrayContaining(['🎯', '🍯', '🏯', '🐯']));
    expect(repaired.notes.filter((n) => n.original === 'ğŸ¯').every((n) => n.chosen === '🎯')).toBe(true);
  });

  it('restores the dropped soft hyphen of "concluída" as a lower-case í', () => {
    const note = repaired.notes.find((n) => n.line === 79);
    expect(note).toMatchObject({ original: 'Ã', chosen: 'í', confident: true });
    expect(note?.candidates).toEqual(expect.arrayContaining(['í', 'Í', 'Á']));
  });

  it('restores ═, ⏳ and ← from their two-byte remains', () => {
    const byOriginal = (original: string) => repaired.notes.filter((n) => n.original === original);
    expect(byOriginal('â•')).toHaveLength(110);
    expect(byOriginal('â•').every((n) => n.chosen === '═' && n.confident)).toBe(true);
    expect(byOriginal('â³')).toMatchObject([{ line: 80, chosen: '⏳', confident: true }]);
    expect(byOriginal('â†')).toMatchObject([{ line: 373, chosen: '←', confident: true }]);
  });

  it('says so when several candidates fit equally ("ğŸ“" = 📞, 📝, 🎓 ...)', () => {
    const unsure = repaired.notes.filter((n) => !n.confident);
    expect(unsure.map((n) => n.line)).toEqual([233, 327]);
    for (const note of unsure) {
      expect(note.original).toBe('ğŸ“');
      expect(note.candidates).toEqual(expect.arrayContaining(['📞', '📝', '🎓']));
      expect(['📞', '📝']).toContain(note.chosen);
    }
  });

  it('is idempotent', () => {
    expect(repairMojibake(repaired.text)).toEqual({
      text: repaired.text,
      codepage: null,
      changedLines: 0,
      notes: [],
      unresolved: [],
    });
  });
});

describe('repairMojibake on correct text', () => {
  const correct = [
    'Ação concluída 🚀',
    'plain ASCII text - nothing to do (100%)',
    'NÃO SÃO PRÓXIMOS PASSOS, ÚLTIMO, EXECUÇÃO',
    '“você” — já está ótimo… ├─ ✅ ═══ ⏳ ←',
    'Ağustos ayında çalışma; naïve café «déjà vu»; Größe',
    '',
  ];

  it.each(correct)('returns %j unchanged', (text) => {
    const result = repairMojibake(text);
    expect(result.text).toBe(text);
    expect(result.codepage).toBeNull();
    expect(result.notes).toEqual([]);
    expect(looksMojibaked(text)).toBe(false);
  });
});

describe('repairMojibake round trip (UTF-8 read as a Windows code page)', () => {
  const samples = [
    'Ação concluída 🚀',
    'Informação pública: já está ótimo — “citação” ✅',
    'Início da migração às 18:15 → responsável: João',
    'Coração, pão, órgão, açúcar, você, após, à vista',
    'EXECUÇÃO PRÓXIMOS PASSOS ═══ ⏳ ← 🎯 ├─ ✔',
    '## 🎊 Summary — 📋 📊 📑 📚 🔴 🟡 🟠 🟢',
  ];
  const codepages: Codepage[] = ['windows-1254', 'windows-1252', 'latin1'];

  for (const codepage of codepages) {
    it.each(samples)(`${codepage}: %s`, (original) => {
      const broken = misdecode(original, codepage);
      expect(broken).not.toBe(original);
      expect(looksMojibaked(broken)).toBe(true);
      expect(repairMojibake(broken).text).toBe(original);
    });
  }

  for (const codepage of ['windows-1254', 'windows-1252'] as const) {
    it.each(samples)(`${codepage}, invisible bytes dropped: %s`, (original) => {
      const broken = dropInvisible(misdecode(original, codepage));
      const result = repairMojibake(broken);
      expect(result.text).toBe(original);
      expect(repairMojibake(result.text).text).toBe(result.text);
    });
  }

  it('tells the code pages apart by the characters they produce', () => {
    const text = 'Próximo passo 🚀 — ok';
    expect(repairMojibake(misdecode(text, 'windows-1254')).codepage).toBe('windows-1254');
    expect(repairMojibake(misdecode(text, 'windows-1252')).codepage).toBe('windows-1252');
    expect(repairMojibake(misdecode(text, 'latin1')).codepage).toBe('latin1');
  });

  it('uses the position of a U+FFFD left by the decoder', () => {
    // ═ = E2 95 90: 0x90 is undefined in Windows-1252 and became U+FFFD.
    const broken = misdecode('═', 'windows-1252');
    expect(broken).toBe('â•\uFFFD');
    const result = repairMojibake(broken);
    expect(result.text).toBe('═');
    expect(result.notes).toMatchObject([{ line: 1, column: 1, original: 'â•\uFFFD', chosen: '═', confident: true }]);
  });

  it('flags a capital that could be either Á or Í instead of guessing silently', () => {
    // "Índice": Í = C3 8D, and 0x8D was lost; at the start of a word the case is unknown too.
    const result = repairMojibake(dropInvisible(misdecode('Revisar o Índice', 'windows-1252')));
    expect(result.notes).toHaveLength(1);
    expect(result.notes[0]?.confident).toBe(false);
    expect(result.notes[0]?.candidates).toEqual(expect.arrayContaining(['Í', 'í', 'Á']));
  });

  it('spots a lost byte in an upper-case word without touching correct capitals', () => {
    // "INÍCIO": Í = C3 8D lost its 0x8D; "NÃO" next to it is correct.
    const result = repairMojibake(dropInvisible(misdecode('NÃO É O INÍCIO', 'windows-1252')));
    expect(result.text).toMatch(/^NÃO É O IN[ÍÁ]CIO$/);
    // Columns count in the input: "NÃƒO Ã‰ O INÃCIO".
    expect(result.notes).toMatchObject([{ column: 13, original: 'Ã', confident: false }]);
    expect(result.notes[0]?.candidates.slice(0, 2).sort()).toEqual(['Á', 'Í']);
  });
});

describe('unresolvable damage', () => {
  it('keeps the text and reports it when more than one byte is missing', () => {
    // 🐞 = F0 9F 90 9E: both 0x90 and 0x9E are undefined in Windows-1254.
    const broken = dropInvisible(misdecode('Ação: 🐞 corrigido', 'windows-1254'));
    expect(broken).toBe('AÃ§Ã£o: ğŸ corrigido');
    expect(looksMojibaked(broken)).toBe(true);
    const result = repairMojibake(broken);
    expect(result.text).toBe('Ação: ğŸ corrigido');
    // Position in the repaired text ("Ação: " is 6 characters there).
    expect(result.unresolved).toMatchObject([{ line: 1, column: 7, original: 'ğŸ' }]);
  });
});

describe('looksMojibaked', () => {
  it.each(['AÃ§Ã£o', 'ğŸš€ go', 'â”œâ”€ item', 'âœ… ok', 'conclusÃ£o', 'concluÃda', 'PRÃ“XIMOS', 'â€œquotedâ€\u009D'])(
    'flags %j',
    (text) => expect(looksMojibaked(text)).toBe(true),
  );

  it.each(['Ação', 'NÃO', 'São Paulo', 'lâmpada', '“você”', 'hello'])('accepts %j', (text) =>
    expect(looksMojibaked(text)).toBe(false),
  );
});

import { sql } from 'kysely';
import sharp from 'sharp';
import { withWorkspace } from '~/platform/db/database.server';
import type { WorkspaceRole } from '~/platform/db/schema';
import { attachFiles } from './files.server';
import { libraryOwner } from './owners.server';
import { stageBytes } from './upload.server';

type Uploader = { userId: string; role: WorkspaceRole };

/** A banner as a real image (sharp renders the SVG), so thumbnails and previews have something to show. */
function banner(title: string, subtitle: string, colors: [string, string]) {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="${colors[0]}"/><stop offset="1" stop-color="${colors[1]}"/>
    </linearGradient></defs>
    <rect width="1200" height="630" fill="url(#g)"/>
    <circle cx="1010" cy="150" r="90" fill="#ffffff" opacity="0.18"/>
    <text x="80" y="330" font-family="sans-serif" font-size="84" font-weight="700" fill="#fff">${title}</text>
    <text x="80" y="410" font-family="sans-serif" font-size="40" fill="#fff">${subtitle}</text>
  </svg>`;
  return sharp(Buffer.from(svg));
}

/** A one-page PDF with a few lines of text, written by hand (offsets computed, so it opens). */
function simplePdf(lines: string[]): Buffer {
  const text = lines
    .map(
      (line, index) =>
        `BT /F1 14 Tf 72 ${760 - index * 22} Td (${line.replace(/[()\\]/g, '\\$&')}) Tj ET`,
    )
    .join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${Buffer.byteLength(text)} >>\nstream\n${text}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(Buffer.byteLength(body));
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body);
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  body += offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('');
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body);
}

const budgetCsv = [
  'Category,Q3 budget (USD),Q3 actual (USD),Owner',
  'Rent and utilities,18000,17850,Operations',
  'Stock purchases,42000,44120,Operations',
  'Online ads,6500,5980,Marketing',
  'Print catalogue,3200,3350,Marketing',
  'Software subscriptions,1450,1450,Operations',
  'Staff training,2000,1250,Operations',
].join('\r\n');

const checklist = `# New starter checklist

- [ ] Sign the contract and the confidentiality agreement
- [ ] Set up two-step verification on Workroom
- [ ] Read the returns policy (Files → Returns policy.pdf)
- [ ] Shadow a shift at the counter with Maria
- [ ] Meet the Marketing division on Thursday
`;

const notes = `Weekly team meeting — notes

Present: Olivia, Adam, Maria, Sam
1. Spring catalogue: photos due Friday; print run of 2,000 confirmed.
2. The courier changes its pickup time to 15:00 from next Monday.
3. Q3 spending is 2 % over budget, mostly stock. Adam will review supplier prices.
`;

/**
 * The demo's shared files in Acme, uploaded by different people over the last weeks: pictures
 * (with thumbnails once the job runs; the catalogue's in its project), a PDF, a spreadsheet,
 * notes, and one file in the trash.
 */
export async function seedDemoFiles(
  workspaceId: string,
  uploaders: { owner: Uploader; manager: Uploader; member: Uploader },
  /** The project the catalogue's pictures belong to, when the demo has one. */
  catalogueProjectId?: string,
): Promise<void> {
  const files: Array<{
    name: string;
    bytes: Buffer;
    by: Uploader;
    daysAgo: number;
    trashed?: boolean;
    inProject?: boolean;
  }> = [
    {
      name: 'Spring catalogue cover.png',
      bytes: await banner('Spring catalogue', 'Acme · new season', ['#3347c4', '#1b8a6b'])
        .png()
        .toBuffer(),
      by: uploaders.manager,
      daysAgo: 12,
      inProject: true,
    },
    {
      name: 'Shop window display.jpg',
      bytes: await banner('Shop window', 'Display for March', ['#b4462a', '#e0a030'])
        .jpeg({ quality: 80 })
        .toBuffer(),
      by: uploaders.member,
      daysAgo: 6,
      inProject: true,
    },
    {
      name: 'Returns policy.pdf',
      bytes: simplePdf([
        'Acme returns policy',
        '',
        'Unused items may be returned within 30 days with a receipt.',
        'Refunds go back to the original payment method within 5 working days.',
        'Sale items can be exchanged but not refunded.',
      ]),
      by: uploaders.owner,
      daysAgo: 25,
    },
    { name: 'Q3 budget.csv', bytes: Buffer.from(budgetCsv), by: uploaders.owner, daysAgo: 9 },
    {
      name: 'New starter checklist.md',
      bytes: Buffer.from(checklist),
      by: uploaders.manager,
      daysAgo: 20,
    },
    { name: 'Team meeting notes.txt', bytes: Buffer.from(notes), by: uploaders.member, daysAgo: 2 },
    {
      name: 'Old logo draft.png',
      bytes: await banner('ACME', 'draft 3 (not used)', ['#555555', '#999999']).png().toBuffer(),
      by: uploaders.manager,
      daysAgo: 15,
      trashed: true,
    },
  ];
  for (const file of files) {
    const staged = await stageBytes(workspaceId, file.name, file.bytes);
    const viewer = { role: file.by.role, ctx: { userId: file.by.userId, workspaceId } };
    await withWorkspace(viewer.ctx, async (trx) => {
      const owner =
        file.inProject && catalogueProjectId
          ? { kind: 'project', id: catalogueProjectId }
          : { kind: libraryOwner.kind, id: workspaceId };
      const attached = await attachFiles(trx, viewer, owner, [staged]);
      if (!attached.ok)
        throw new Error(`the demo file ${file.name} was refused: ${attached.reason}`);
      await trx
        .updateTable('files')
        .set({
          createdAt: sql<Date>`now() - make_interval(days => ${file.daysAgo})`,
          deletedAt: file.trashed ? sql<Date>`now() - interval '3 days'` : null,
          deletedBy: file.trashed ? file.by.userId : null,
        })
        .where('id', '=', staged.id)
        .execute();
    });
  }
}

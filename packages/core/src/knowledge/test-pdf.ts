import { PDFDocument, StandardFonts } from 'pdf-lib';

/** A real PDF (made with pdf-lib) with one page per entry of `pages`, each line drawn as text. For tests. */
export async function makeTestPdf(pages: string[][]): Promise<Uint8Array> {
  const document = await PDFDocument.create();
  const font = await document.embedFont(StandardFonts.Helvetica);
  for (const lines of pages) {
    const page = document.addPage([595, 842]);
    lines.forEach((line, index) => {
      page.drawText(line, { x: 50, y: 780 - index * 16, size: 11, font });
    });
  }
  return document.save();
}

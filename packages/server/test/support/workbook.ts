/** Cells of a test workbook: what Excel stores (an empty array is a blank row). */
export type WorkbookRow = (string | number | boolean | Date | null)[];

/** An .xlsx file with one sheet of these rows, as a spreadsheet program would save it. */
export async function workbook(rows: WorkbookRow[], sheet = 'Sheet1'): Promise<Buffer> {
  const { default: writeXlsxFile } = await import('write-excel-file/node');
  return writeXlsxFile(rows, { sheet, dateFormat: 'yyyy-mm-dd' }).toBuffer();
}

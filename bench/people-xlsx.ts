import ExcelJS from 'exceljs';

/** The people workbook of the import benches: a header and `rows` people, written as the server exports. */
export async function writePeopleXlsx(path: string, rows: number) {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: false });
  const ws = wb.addWorksheet('People');
  ws.addRow(['Full name', 'E-mail', 'Employee no.', 'Department', 'Weekly hours', 'Capacity']).commit();
  for (let i = 1; i <= rows; i++)
    ws.addRow([
      `Person ${i}`,
      `person${i}@bench.test`,
      `E-${i}`,
      `Dept ${i % 40}`,
      40,
      32 + (i % 9),
    ]).commit();
  ws.commit();
  await wb.commit();
}

import { csvField, csvRow } from '../../src/domain/csv';

describe('CSV fields', () => {
  it('quotes commas, quotes and line breaks, doubling quotes inside', () => {
    expect(csvField('Acme, Inc.')).toBe('"Acme, Inc."');
    expect(csvField('the "best" plan')).toBe('"the ""best"" plan"');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('plain')).toBe('plain');
    expect(csvField(null)).toBe('');
  });

  it('keeps formulas as text (= + - @, tab, CR) but leaves plain numbers alone', () => {
    expect(csvField('=HYPERLINK("http://evil.example","x")')).toBe(
      `"'=HYPERLINK(""http://evil.example"",""x"")"`,
    );
    expect(csvField('+1 555 0100')).toBe("'+1 555 0100");
    expect(csvField('-cmd')).toBe("'-cmd");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\tindent')).toBe("'\tindent");
    expect(csvField('-17.05')).toBe('-17.05');
    expect(csvField(-1)).toBe('-1');
    expect(csvField('-1e5')).toBe("'-1e5");
  });

  it('ends each record with CRLF', () => {
    expect(csvRow(['a', 1, null, 'b,c'])).toBe('a,1,,"b,c"\r\n');
  });
});

/**
 * Example paragraphs for the Tag text screen, written for finer-lens in the
 * style of 10-K debt and credit-facility notes (invented companies and
 * figures): each holds numbers of the four entity types and numbers of
 * other kinds that must stay untagged.
 */
export interface ExampleText {
  id: string;
  title: string;
  text: string;
}

export const EXAMPLES: readonly ExampleText[] = [
  {
    id: 'senior-notes',
    title: 'Senior notes',
    text:
      'On March 15, 2022, the Company issued $600.0 million aggregate principal amount of 4.375% senior notes due 2030 ' +
      '(the "2030 Notes") in a private offering. Interest on the 2030 Notes is payable semi-annually in arrears on March 15 ' +
      'and September 15 of each year, beginning September 15, 2022. The net proceeds of $592.1 million, after deducting ' +
      'the initial purchasers\' discount and offering expenses, were used to redeem all $450.0 million of the outstanding ' +
      '6.250% senior notes due 2025 at a redemption price of 103.125% of their principal amount.',
  },
  {
    id: 'revolver',
    title: 'Revolving credit facility',
    text:
      'On June 30, 2023, we entered into a second amended and restated credit agreement that provides for a senior ' +
      'secured revolving credit facility with a maximum borrowing capacity of $1.25 billion, which may be increased by up ' +
      'to $500 million subject to lender commitments, and matures on June 30, 2028. As of December 31, 2023, we had ' +
      '$310.0 million of borrowings outstanding under the revolving credit facility and $12.4 million of letters of ' +
      'credit issued, and the weighted average interest rate on outstanding borrowings was 6.9%.',
  },
  {
    id: 'term-loan-sofr',
    title: 'Term loan: SOFR spread',
    text:
      'Borrowings under the Term Loan B bear interest, at our option, at either (i) Term SOFR plus an applicable margin ' +
      'of 2.75% per annum, subject to a SOFR floor of 0.50%, or (ii) a base rate plus an applicable margin of 1.75% per ' +
      'annum. The Term Loan B was issued in an original principal amount of $850 million and requires quarterly ' +
      'amortization payments equal to 0.25% of the original principal amount. We also pay a commitment fee of 0.35% ' +
      'per annum on the unused portion of the revolving commitments.',
  },
  {
    id: 'libor-transition',
    title: 'LIBOR to SOFR, convertible notes',
    text:
      'Prior to the amendment, loans under the Credit Facility bore interest at LIBOR plus 1.50%, and the facility ' +
      'permitted borrowings of up to $400.0 million. The amendment replaced LIBOR with Adjusted Term SOFR plus a margin ' +
      'ranging from 1.25% to 2.00% based on our consolidated leverage ratio. In addition, in November 2021 we issued ' +
      '$1.0 billion in aggregate principal amount of 0.875% convertible senior notes due 2027, with an initial conversion ' +
      'price of approximately $72.50 per share of common stock.',
  },
];

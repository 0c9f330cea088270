/**
 * FiNER-139 label schema (dataset `nlpaueb/finer-139`) and the 4-entity subset.
 *
 * The names are written here, not read at run time, because the browser uses
 * them too; a test checks them against ../shared/data/finer139_labels.json.
 * Nothing here touches Node or the DOM.
 */

/**
 * The 279 IOB label names in the dataset's official order; the index is the
 * `ner_tags` id. Every tag has a B- and an I- label, but the I- labels are not
 * always right after their B- label (the dataset's order, kept as is).
 */
export const FINER139_LABELS: readonly string[] = Object.freeze([
  "O",
  "B-AccrualForEnvironmentalLossContingencies",
  "B-AcquiredFiniteLivedIntangibleAssetsWeightedAverageUsefulLife",
  "I-AcquiredFiniteLivedIntangibleAssetsWeightedAverageUsefulLife",
  "B-AllocatedShareBasedCompensationExpense",
  "B-AmortizationOfFinancingCosts",
  "B-AmortizationOfIntangibleAssets",
  "I-AmortizationOfIntangibleAssets",
  "B-AntidilutiveSecuritiesExcludedFromComputationOfEarningsPerShareAmount",
  "I-AntidilutiveSecuritiesExcludedFromComputationOfEarningsPerShareAmount",
  "B-AreaOfRealEstateProperty",
  "I-AreaOfRealEstateProperty",
  "B-AssetImpairmentCharges",
  "B-BusinessAcquisitionEquityInterestsIssuedOrIssuableNumberOfSharesIssued",
  "B-BusinessAcquisitionPercentageOfVotingInterestsAcquired",
  "I-BusinessAcquisitionPercentageOfVotingInterestsAcquired",
  "B-BusinessCombinationAcquisitionRelatedCosts",
  "B-BusinessCombinationConsiderationTransferred1",
  "B-BusinessCombinationContingentConsiderationLiability",
  "B-BusinessCombinationRecognizedIdentifiableAssetsAcquiredAndLiabilitiesAssumedIntangibleAssetsOtherThanGoodwill",
  "B-BusinessCombinationRecognizedIdentifiableAssetsAcquiredAndLiabilitiesAssumedIntangibles",
  "B-CapitalizedContractCostAmortization",
  "B-CashAndCashEquivalentsFairValueDisclosure",
  "B-ClassOfWarrantOrRightExercisePriceOfWarrantsOrRights1",
  "B-CommonStockCapitalSharesReservedForFutureIssuance",
  "B-CommonStockDividendsPerShareDeclared",
  "B-CommonStockParOrStatedValuePerShare",
  "B-CommonStockSharesAuthorized",
  "I-CommonStockSharesAuthorized",
  "B-CommonStockSharesOutstanding",
  "B-ConcentrationRiskPercentage1",
  "B-ContractWithCustomerLiability",
  "B-ContractWithCustomerLiabilityRevenueRecognized",
  "B-CumulativeEffectOfNewAccountingPrincipleInPeriodOfAdoption",
  "B-DebtInstrumentBasisSpreadOnVariableRate1",
  "B-DebtInstrumentCarryingAmount",
  "B-DebtInstrumentConvertibleConversionPrice1",
  "B-DebtInstrumentFaceAmount",
  "I-DebtInstrumentFaceAmount",
  "B-DebtInstrumentFairValue",
  "B-DebtInstrumentInterestRateEffectivePercentage",
  "B-DebtInstrumentInterestRateStatedPercentage",
  "B-DebtInstrumentMaturityDate",
  "I-DebtInstrumentMaturityDate",
  "B-DebtInstrumentRedemptionPricePercentage",
  "B-DebtInstrumentTerm",
  "I-DebtInstrumentTerm",
  "B-DebtInstrumentUnamortizedDiscount",
  "B-DebtWeightedAverageInterestRate",
  "B-DeferredFinanceCostsGross",
  "B-DeferredFinanceCostsNet",
  "B-DefinedBenefitPlanContributionsByEmployer",
  "B-DefinedContributionPlanCostRecognized",
  "B-Depreciation",
  "B-DerivativeFixedInterestRate",
  "B-DerivativeNotionalAmount",
  "B-DisposalGroupIncludingDiscontinuedOperationConsideration",
  "B-EffectiveIncomeTaxRateContinuingOperations",
  "B-EffectiveIncomeTaxRateReconciliationAtFederalStatutoryIncomeTaxRate",
  "B-EmployeeServiceShareBasedCompensationNonvestedAwardsTotalCompensationCostNotYetRecognized",
  "B-EmployeeServiceShareBasedCompensationNonvestedAwardsTotalCompensationCostNotYetRecognizedPeriodForRecognition1",
  "I-EmployeeServiceShareBasedCompensationNonvestedAwardsTotalCompensationCostNotYetRecognizedPeriodForRecognition1",
  "B-EmployeeServiceShareBasedCompensationNonvestedAwardsTotalCompensationCostNotYetRecognizedShareBasedAwardsOtherThanOptions",
  "B-EmployeeServiceShareBasedCompensationTaxBenefitFromCompensationExpense",
  "B-EquityMethodInvestmentOwnershipPercentage",
  "I-EquityMethodInvestmentOwnershipPercentage",
  "B-EquityMethodInvestments",
  "B-FiniteLivedIntangibleAssetUsefulLife",
  "I-FiniteLivedIntangibleAssetUsefulLife",
  "B-GainsLossesOnExtinguishmentOfDebt",
  "B-Goodwill",
  "B-GoodwillImpairmentLoss",
  "B-GuaranteeObligationsMaximumExposure",
  "B-IncomeLossFromEquityMethodInvestments",
  "B-IncomeTaxExpenseBenefit",
  "B-InterestExpense",
  "B-InterestExpenseDebt",
  "B-LeaseAndRentalExpense",
  "B-LesseeOperatingLeaseRenewalTerm",
  "I-LesseeOperatingLeaseRenewalTerm",
  "B-LesseeOperatingLeaseTermOfContract",
  "I-LesseeOperatingLeaseTermOfContract",
  "B-LettersOfCreditOutstandingAmount",
  "B-LineOfCredit",
  "B-LineOfCreditFacilityCommitmentFeePercentage",
  "B-LineOfCreditFacilityCurrentBorrowingCapacity",
  "B-LineOfCreditFacilityInterestRateAtPeriodEnd",
  "B-LineOfCreditFacilityMaximumBorrowingCapacity",
  "B-LineOfCreditFacilityRemainingBorrowingCapacity",
  "B-LineOfCreditFacilityUnusedCapacityCommitmentFeePercentage",
  "B-LongTermDebt",
  "B-LongTermDebtFairValue",
  "B-LossContingencyAccrualAtCarryingValue",
  "B-LossContingencyDamagesSoughtValue",
  "B-LossContingencyEstimateOfPossibleLoss",
  "B-LossContingencyPendingClaimsNumber",
  "I-LossContingencyPendingClaimsNumber",
  "B-MinorityInterestOwnershipPercentageByNoncontrollingOwners",
  "B-MinorityInterestOwnershipPercentageByParent",
  "B-NumberOfOperatingSegments",
  "B-NumberOfRealEstateProperties",
  "I-NumberOfRealEstateProperties",
  "B-NumberOfReportableSegments",
  "B-OperatingLeaseCost",
  "B-OperatingLeaseExpense",
  "B-OperatingLeaseLiability",
  "B-OperatingLeasePayments",
  "B-OperatingLeaseRightOfUseAsset",
  "B-OperatingLeaseWeightedAverageDiscountRatePercent",
  "B-OperatingLeaseWeightedAverageRemainingLeaseTerm1",
  "I-OperatingLeaseWeightedAverageRemainingLeaseTerm1",
  "B-OperatingLeasesRentExpenseNet",
  "B-OperatingLossCarryforwards",
  "B-PaymentsToAcquireBusinessesGross",
  "B-PaymentsToAcquireBusinessesNetOfCashAcquired",
  "B-PreferredStockDividendRatePercentage",
  "B-PreferredStockSharesAuthorized",
  "I-PreferredStockSharesAuthorized",
  "B-ProceedsFromIssuanceOfCommonStock",
  "B-PropertyPlantAndEquipmentUsefulLife",
  "I-PropertyPlantAndEquipmentUsefulLife",
  "B-PublicUtilitiesRequestedRateIncreaseDecreaseAmount",
  "B-RelatedPartyTransactionAmountsOfTransaction",
  "I-RelatedPartyTransactionAmountsOfTransaction",
  "B-RelatedPartyTransactionExpensesFromTransactionsWithRelatedParty",
  "I-RelatedPartyTransactionExpensesFromTransactionsWithRelatedParty",
  "B-RepaymentsOfDebt",
  "B-RestructuringAndRelatedCostExpectedCost1",
  "B-RestructuringCharges",
  "B-RevenueFromContractWithCustomerExcludingAssessedTax",
  "B-RevenueFromContractWithCustomerIncludingAssessedTax",
  "B-RevenueFromRelatedParties",
  "B-RevenueRemainingPerformanceObligation",
  "B-Revenues",
  "B-SaleOfStockNumberOfSharesIssuedInTransaction",
  "I-SaleOfStockNumberOfSharesIssuedInTransaction",
  "B-SaleOfStockPricePerShare",
  "B-ShareBasedCompensation",
  "B-ShareBasedCompensationArrangementByShareBasedPaymentAwardAwardVestingPeriod1",
  "I-ShareBasedCompensationArrangementByShareBasedPaymentAwardAwardVestingPeriod1",
  "B-ShareBasedCompensationArrangementByShareBasedPaymentAwardEquityInstrumentsOtherThanOptionsGrantsInPeriod",
  "I-ShareBasedCompensationArrangementByShareBasedPaymentAwardEquityInstrumentsOtherThanOptionsGrantsInPeriod",
  "B-ShareBasedCompensationArrangementByShareBasedPaymentAwardEquityInstrumentsOtherThanOptionsGrantsInPeriodWeightedAverageGrantDateFairValue",
  "B-ShareBasedCompensationArrangementByShareBasedPaymentAwardEquityInstrumentsOtherThanOptionsNonvestedNumber",
  "B-ShareBasedCompensationArrangementByShareBasedPaymentAwardEquityInstrumentsOtherThanOptionsVestedInPeriodTotalFairValue",
  "B-ShareBasedCompensationArrangementByShareBasedPaymentAwardNumberOfSharesAuthorized",
  "I-ShareBasedCompensationArrangementByShareBasedPaymentAwardNumberOfSharesAuthorized",
  "B-ShareBasedCompensationArrangementByShareBasedPaymentAwardNumberOfSharesAvailableForGrant",
  "B-ShareBasedCompensationArrangementByShareBasedPaymentAwardOptionsExercisesInPeriodTotalIntrinsicValue",
  "B-ShareBasedCompensationArrangementByShareBasedPaymentAwardOptionsGrantsInPeriodGross",
  "B-ShareBasedCompensationArrangementByShareBasedPaymentAwardOptionsGrantsInPeriodWeightedAverageGrantDateFairValue",
  "B-SharePrice",
  "B-SharebasedCompensationArrangementBySharebasedPaymentAwardAwardVestingRightsPercentage",
  "I-SharebasedCompensationArrangementBySharebasedPaymentAwardAwardVestingRightsPercentage",
  "B-SharebasedCompensationArrangementBySharebasedPaymentAwardExpirationPeriod",
  "I-SharebasedCompensationArrangementBySharebasedPaymentAwardExpirationPeriod",
  "B-StockIssuedDuringPeriodSharesNewIssues",
  "I-StockIssuedDuringPeriodSharesNewIssues",
  "B-StockRepurchaseProgramAuthorizedAmount1",
  "B-StockRepurchaseProgramRemainingAuthorizedRepurchaseAmount1",
  "B-StockRepurchasedAndRetiredDuringPeriodShares",
  "B-StockRepurchasedDuringPeriodShares",
  "I-StockRepurchasedDuringPeriodShares",
  "B-SupplementalInformationForPropertyCasualtyInsuranceUnderwritersPriorYearClaimsAndClaimsAdjustmentExpense",
  "B-TreasuryStockAcquiredAverageCostPerShare",
  "B-TreasuryStockSharesAcquired",
  "I-TreasuryStockSharesAcquired",
  "B-TreasuryStockValueAcquiredCostMethod",
  "B-UnrecognizedTaxBenefits",
  "B-UnrecognizedTaxBenefitsThatWouldImpactEffectiveTaxRate",
  "I-DeferredFinanceCostsGross",
  "I-CommonStockParOrStatedValuePerShare",
  "I-LossContingencyEstimateOfPossibleLoss",
  "I-DefinedContributionPlanCostRecognized",
  "I-DebtInstrumentFairValue",
  "I-ContractWithCustomerLiabilityRevenueRecognized",
  "I-RevenueRemainingPerformanceObligation",
  "I-EmployeeServiceShareBasedCompensationNonvestedAwardsTotalCompensationCostNotYetRecognized",
  "I-DebtInstrumentInterestRateStatedPercentage",
  "I-OperatingLossCarryforwards",
  "I-MinorityInterestOwnershipPercentageByNoncontrollingOwners",
  "I-InterestExpense",
  "I-LongTermDebt",
  "I-ShareBasedCompensation",
  "I-DebtWeightedAverageInterestRate",
  "I-DebtInstrumentCarryingAmount",
  "I-DebtInstrumentConvertibleConversionPrice1",
  "I-IncomeTaxExpenseBenefit",
  "I-ShareBasedCompensationArrangementByShareBasedPaymentAwardOptionsGrantsInPeriodWeightedAverageGrantDateFairValue",
  "I-EmployeeServiceShareBasedCompensationNonvestedAwardsTotalCompensationCostNotYetRecognizedShareBasedAwardsOtherThanOptions",
  "I-EquityMethodInvestments",
  "I-DebtInstrumentUnamortizedDiscount",
  "I-GainsLossesOnExtinguishmentOfDebt",
  "I-ShareBasedCompensationArrangementByShareBasedPaymentAwardNumberOfSharesAvailableForGrant",
  "I-BusinessCombinationRecognizedIdentifiableAssetsAcquiredAndLiabilitiesAssumedIntangibleAssetsOtherThanGoodwill",
  "I-PreferredStockDividendRatePercentage",
  "I-RevenueFromContractWithCustomerIncludingAssessedTax",
  "I-OperatingLeaseWeightedAverageDiscountRatePercent",
  "I-LineOfCredit",
  "I-LineOfCreditFacilityMaximumBorrowingCapacity",
  "I-EffectiveIncomeTaxRateReconciliationAtFederalStatutoryIncomeTaxRate",
  "I-LineOfCreditFacilityCommitmentFeePercentage",
  "I-BusinessCombinationConsiderationTransferred1",
  "I-CommonStockDividendsPerShareDeclared",
  "I-DebtInstrumentBasisSpreadOnVariableRate1",
  "I-DisposalGroupIncludingDiscontinuedOperationConsideration",
  "I-ShareBasedCompensationArrangementByShareBasedPaymentAwardOptionsGrantsInPeriodGross",
  "I-CommonStockSharesOutstanding",
  "I-AmortizationOfFinancingCosts",
  "I-LineOfCreditFacilityCurrentBorrowingCapacity",
  "I-TreasuryStockValueAcquiredCostMethod",
  "I-ShareBasedCompensationArrangementByShareBasedPaymentAwardEquityInstrumentsOtherThanOptionsNonvestedNumber",
  "I-DebtInstrumentInterestRateEffectivePercentage",
  "I-SaleOfStockPricePerShare",
  "I-CapitalizedContractCostAmortization",
  "I-RestructuringCharges",
  "I-ShareBasedCompensationArrangementByShareBasedPaymentAwardEquityInstrumentsOtherThanOptionsVestedInPeriodTotalFairValue",
  "I-AccrualForEnvironmentalLossContingencies",
  "I-CashAndCashEquivalentsFairValueDisclosure",
  "I-ProceedsFromIssuanceOfCommonStock",
  "I-Revenues",
  "I-BusinessCombinationRecognizedIdentifiableAssetsAcquiredAndLiabilitiesAssumedIntangibles",
  "I-LettersOfCreditOutstandingAmount",
  "I-ShareBasedCompensationArrangementByShareBasedPaymentAwardEquityInstrumentsOtherThanOptionsGrantsInPeriodWeightedAverageGrantDateFairValue",
  "I-OperatingLeasePayments",
  "I-LineOfCreditFacilityRemainingBorrowingCapacity",
  "I-PaymentsToAcquireBusinessesGross",
  "I-TreasuryStockAcquiredAverageCostPerShare",
  "I-DeferredFinanceCostsNet",
  "I-StockRepurchaseProgramAuthorizedAmount1",
  "I-InterestExpenseDebt",
  "I-ContractWithCustomerLiability",
  "I-OperatingLeaseExpense",
  "I-Depreciation",
  "I-AllocatedShareBasedCompensationExpense",
  "I-LossContingencyAccrualAtCarryingValue",
  "I-LineOfCreditFacilityUnusedCapacityCommitmentFeePercentage",
  "I-SupplementalInformationForPropertyCasualtyInsuranceUnderwritersPriorYearClaimsAndClaimsAdjustmentExpense",
  "I-OperatingLeaseLiability",
  "I-RevenueFromRelatedParties",
  "I-PaymentsToAcquireBusinessesNetOfCashAcquired",
  "I-BusinessCombinationContingentConsiderationLiability",
  "I-LossContingencyDamagesSoughtValue",
  "I-NumberOfOperatingSegments",
  "I-BusinessAcquisitionEquityInterestsIssuedOrIssuableNumberOfSharesIssued",
  "I-OperatingLeaseRightOfUseAsset",
  "I-BusinessCombinationAcquisitionRelatedCosts",
  "I-UnrecognizedTaxBenefits",
  "I-GuaranteeObligationsMaximumExposure",
  "I-RestructuringAndRelatedCostExpectedCost1",
  "I-DefinedBenefitPlanContributionsByEmployer",
  "I-OperatingLeaseCost",
  "I-DerivativeFixedInterestRate",
  "I-Goodwill",
  "I-GoodwillImpairmentLoss",
  "I-CommonStockCapitalSharesReservedForFutureIssuance",
  "I-StockRepurchasedAndRetiredDuringPeriodShares",
  "I-EmployeeServiceShareBasedCompensationTaxBenefitFromCompensationExpense",
  "I-IncomeLossFromEquityMethodInvestments",
  "I-NumberOfReportableSegments",
  "I-LongTermDebtFairValue",
  "I-RepaymentsOfDebt",
  "I-ConcentrationRiskPercentage1",
  "I-DebtInstrumentRedemptionPricePercentage",
  "I-CumulativeEffectOfNewAccountingPrincipleInPeriodOfAdoption",
  "I-SharePrice",
  "I-UnrecognizedTaxBenefitsThatWouldImpactEffectiveTaxRate",
  "I-ShareBasedCompensationArrangementByShareBasedPaymentAwardOptionsExercisesInPeriodTotalIntrinsicValue",
  "I-EffectiveIncomeTaxRateContinuingOperations",
  "I-RevenueFromContractWithCustomerExcludingAssessedTax",
  "I-StockRepurchaseProgramRemainingAuthorizedRepurchaseAmount1",
  "I-LineOfCreditFacilityInterestRateAtPeriodEnd",
  "I-ClassOfWarrantOrRightExercisePriceOfWarrantsOrRights1",
  "I-OperatingLeasesRentExpenseNet",
  "I-LeaseAndRentalExpense",
  "I-PublicUtilitiesRequestedRateIncreaseDecreaseAmount",
  "I-MinorityInterestOwnershipPercentageByParent",
  "I-AssetImpairmentCharges",
  "I-DerivativeNotionalAmount",
]);

/** The 139 XBRL tag names (no B-/I- prefix), in order of first appearance of their B- label. */
export const FINER139_TAGS: readonly string[] = Object.freeze(
  FINER139_LABELS.filter((l) => l.startsWith('B-')).map((l) => l.slice(2)),
);

/**
 * Near-miss classes: a label `O-<concept>` (e.g. `O-LineOfCreditFacilityRemainingBorrowingCapacity`)
 * is a class of its own in training, for a concept the model confuses with the four types
 * (`finer subset --near-miss`), and outside every entity in prediction and scoring: it reads as `O`.
 */
export const NEAR_MISS_PREFIX = 'O-';

/** `O`, or a near-miss class `O-<concept>`: outside every entity. */
export function isOutsideLabel(label: string): boolean {
  return label === 'O' || label.startsWith(NEAR_MISS_PREFIX);
}

/** The label a prediction shows: a near-miss class becomes `O`; every other label stays. */
export function predictedLabel(label: string): string {
  return label.startsWith(NEAR_MISS_PREFIX) ? 'O' : label;
}

/** Entity types of a model's labels: B-/I- stripped, O and near-miss classes left out, in label order. */
export function entityTypes(labels: readonly string[]): string[] {
  const types: string[] = [];
  for (const l of labels) {
    const t = labelType(l);
    if (!isOutsideLabel(l) && !types.includes(t)) types.push(t);
  }
  return types;
}

/** The entity type of a BIO label: `B-`/`I-` stripped (`O` stays `O`). */
export function labelType(label: string): string {
  return label.replace(/^[BI]-/, '');
}

const LABEL_ID: ReadonlyMap<string, number> = new Map(FINER139_LABELS.map((l, i) => [l, i]));

/** Id of a FiNER-139 label name; throws an Error naming the label when it is not one. */
export function finerLabelId(name: string): number {
  const id = LABEL_ID.get(name);
  if (id === undefined) {
    throw new Error(`unknown FiNER-139 label ${JSON.stringify(name)}: expected one of the 279 names in FINER139_LABELS`);
  }
  return id;
}

/** Id of `B-<tag>`, or undefined when the tag is not one of the 139. */
export function finerBId(tag: string): number | undefined {
  return LABEL_ID.get(`B-${tag}`);
}

/** Id of `I-<tag>`, or undefined when the tag is not one of the 139. */
export function finerIId(tag: string): number | undefined {
  return LABEL_ID.get(`I-${tag}`);
}

/** Label names of the 4-entity dataset; index = new id. */
export const SUBSET_LABELS: readonly string[] = Object.freeze([
  'O',
  'B-DebtInstrumentInterestRateStatedPercentage',
  'B-LineOfCreditFacilityMaximumBorrowingCapacity',
  'B-DebtInstrumentBasisSpreadOnVariableRate1',
  'B-DebtInstrumentFaceAmount',
]);

/** FiNER-139 id of each subset label; index = new id: [0, 41, 87, 34, 37]. */
export const SUBSET_FINER_IDS: readonly number[] = Object.freeze(SUBSET_LABELS.map(finerLabelId));

/** FiNER id -> subset id; 0 (O) for every label but the four B- labels, their I- labels included. */
const SUBSET_OF_FINER: Uint8Array = (() => {
  const table = new Uint8Array(FINER139_LABELS.length);
  SUBSET_FINER_IDS.forEach((finerId, subsetId) => (table[finerId] = subsetId));
  return table;
})();

/** Map a FiNER-139 id to the 4-entity scheme: 41->1, 87->2, 34->3, 37->4, anything else -> 0. */
export function toSubsetId(finerId: number): number {
  return SUBSET_OF_FINER[finerId] ?? 0;
}

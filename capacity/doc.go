// Package capacity turns a region's population into the service demand,
// staff, beds and money it needs, and shows where the establishments fall
// short.
//
// # Walkthrough
//
// A planner at a GST starts from the region (gst.Region: areas with their
// census populations, establishments with their offers, beds and staff on
// roll) and goes step by step:
//
//  1. Demand. Demand applies utilisation rates (Rate: uses per 1,000
//     people per year, by service, optionally by population segment such
//     as "coverage/amo", "coverage/tadamon", "coverage/uninsured" or
//     "coverage/migrant", and by urban or rural setting) to each area and
//     returns the shared gst.DemandTable with a breakdown by segment. The
//     most specific rate wins: segment and setting, segment, base rate and
//     setting, base rate. An area without the segment breakdown a
//     service's rates need is rated by the rule in DemandOptions.Missing:
//     the base rate for everybody (default), the region's segment shares,
//     or an error. People are never dropped: anyone left without a rate
//     is an error that names the area.
//
//  2. Projection. Project (or DemandOptions.Projection) carries each area
//     to a target year at its own compound annual growth,
//     (Population / PastPopulation)^(1 / (Year − PastYear)) − 1, measured
//     between two censuses (the bundled data has 2014 and 2024), or at a
//     given rate. Own rates are capped (DefaultMaxAnnualRate, 5 % a year)
//     so that a commune that grew 275 % in ten years is not extrapolated
//     for decades; the report says which areas were capped. Segment
//     shares are kept.
//
//  3. Attribution. Attribute sends each area's demand to establishments
//     through a gst.Assignment (the shares of an area's demand each
//     establishment serves); without one it uses NearestAssignment, the
//     quickest establishment offering the service by the region's travel
//     matrix or the estimator. Demand no establishment receives is
//     reported as unserved.
//
//  4. Staff need by workload: WISN implements the WHO Workload Indicators
//     of Staffing Need method (user's manual, WHO 2010) for every
//     establishment and category: available working time
//     AWT = [A − (B + C + D + E)] × F from working days, public holidays,
//     annual, sick and other leave and hours per day (WorkingTime);
//     service standards and standard workloads (ServiceStandard);
//     category allowance standards and CAF = 1 / (1 − ΣCAS% / 100)
//     (CategoryAllowance); individual allowance standards and
//     IAF = ΣIAS / AWT (IndividualAllowance); required staff
//     = Σ(workload_i / standard workload_i) × CAF + IAF; and the WISN
//     difference (actual − required) and ratio (actual / required).
//     Calculate runs one calculation and explains every step.
//
//  5. Staff need by norm: Density counts staff of chosen categories per
//     1,000 people by area, province and region against a Norm, such as
//     WHOSDGThreshold (4.45 doctors, nurses and midwives per 1,000: WHO,
//     Global Strategy on Human Resources for Health: Workforce 2030,
//     2016). For reference, Morocco had about 0.74 doctors per 1,000
//     (MoroccoDoctorsPerThousand). Staff are counted where they work: by
//     the establishment's province; at area level by catchment when an
//     assignment is given, else in the area the establishment stands in.
//
//  6. Beds: BedsNeeded and Beds compute admissions × average length of
//     stay / (365 × target occupancy), with occupancy in (0, 1]
//     (DefaultOccupancy 0.85), per service and establishment, against
//     the establishment's beds.
//
//  7. Gaps: ComputeGaps builds one table per establishment, province and
//     region with need, available, difference, ratio and densities per
//     1,000 people; WriteGapsCSV, Gaps.WriteCSV and Gaps.WriteJSON export
//     them.
//
//  8. Money: StaffCost prices FTE (on roll, or needed) at each category's
//     annual cost; Budget gives the hybrid-financing budget of the GST
//     reform by establishment and payer: capitation per person enrolled
//     in primary care plus fees per hospital case, by payer (AMO,
//     AMO-Tadamon, uninsured, migrants…) identified by coverage segment.
//
// Assess runs steps 1 to 4 and 7 in one call, validating the region once.
//
// # Undefined values
//
// Outputs never hold NaN or infinite numbers. A ratio against a zero need
// (or a density for a unit with no population) is undefined: it is a nil
// *float64, null in JSON and an empty cell in CSV.
//
// # Units
//
// Population in people; rates per 1,000 people per year; volumes in each
// service's unit per year; working time in days and hours per year;
// service standards in minutes per unit or units per hour; allowances in
// percent of working time or hours per day, week, month or year; staff in
// full-time equivalents (FTE); densities per 1,000 people; lengths of stay
// in days; money in Moroccan dirhams (MAD) per year.
//
// # Validation
//
// Every entry point validates all of its input before computing and
// reports every problem at once: errors.Join of *gst.ValidationError
// values naming the record and field, with errors.Is(err, gst.ErrInvalid).
// Examples: a negative or non-finite rate, an unknown service or
// category, a segment no area has, segment rates mixing two dimensions,
// a target year before an area's base year, leave exceeding the working
// year, category allowances of 100 % or more, an occupancy outside
// (0, 1], a category with staff but no annual cost.
//
// # Concurrency and determinism
//
// Functions do not modify their inputs and keep no state: they may run
// concurrently on the same region as long as nobody modifies it. The same
// input gives the same output, byte for byte: tables are sorted by ID (and
// then category, service, segment or payer), sums run in that order, and
// no map order leaks into a result.
//
// # Deprivation
//
// Deprivation combines a table of area indicators (for example HCP's
// census household indicators per commune) into one composite index, by
// the standardised sum of the Townsend and Carstairs indices or by the
// first principal component, weighted by population. Reports rank the
// most-deprived share of the people by it; keep access to care out of it,
// or equity results in travel time become circular.
package capacity

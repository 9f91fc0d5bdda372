package orlib

// Families of instances.
const (
	FamilyPMed    = "pmed"    // OR-Library uncapacitated p-median, pmed1–pmed40
	FamilyCap     = "cap"     // OR-Library capacitated warehouse location, cap41–cap134, capa/b/c
	FamilyPMedCap = "pmedcap" // Osman–Christofides capacitated p-median, pmedcap1_01–20
	FamilySJC     = "sjc"     // Lorena–Senne capacitated p-median, SJC1–SJC4b
)

// Known is the optimal or best known objective value of a benchmark
// instance.
type Known struct {
	// Family is one of the Family constants.
	Family string
	// Instance is the file name without extension: "pmed1", "cap41",
	// "capa", "pmedcap1_01", "SJC1".
	Instance string
	// Capacity is the warehouse capacity that substitutes the placeholder
	// of capa, capb and capc; 0 for every other instance.
	Capacity float64
	// Value is the objective value. For the cap family it is the optimum
	// of the multi-source (splittable) problem, as in capopt.txt.
	Value float64
	// Optimal reports a value published as optimal (Beasley 1985 for
	// pmed, capopt for cap, the Osman–Christofides file headers for
	// pmedcap) or proven optimal by an exact solver; false marks a best
	// known value (SJC2–SJC4b).
	Optimal bool
}

// knownValues: the values of the data README (OR-Library pmedopt.txt and
// capopt.txt, the pmedcap1 file headers, and the SJC values used in the
// literature), cross-checked there against other sources and, for pmed1–16,
// cap41–134, pmedcap1_01–19 and SJC1, re-solved to proven optimality with
// CBC. Compare pmed and pmedcap values exactly, cap values within about
// 0.01 (capopt rounds to three decimals), SJC values within about 0.01.
var knownValues = []Known{
	{FamilyPMed, "pmed1", 0, 5819, true},
	{FamilyPMed, "pmed2", 0, 4093, true},
	{FamilyPMed, "pmed3", 0, 4250, true},
	{FamilyPMed, "pmed4", 0, 3034, true},
	{FamilyPMed, "pmed5", 0, 1355, true},
	{FamilyPMed, "pmed6", 0, 7824, true},
	{FamilyPMed, "pmed7", 0, 5631, true},
	{FamilyPMed, "pmed8", 0, 4445, true},
	{FamilyPMed, "pmed9", 0, 2734, true},
	{FamilyPMed, "pmed10", 0, 1255, true},
	{FamilyPMed, "pmed11", 0, 7696, true},
	{FamilyPMed, "pmed12", 0, 6634, true},
	{FamilyPMed, "pmed13", 0, 4374, true},
	{FamilyPMed, "pmed14", 0, 2968, true},
	{FamilyPMed, "pmed15", 0, 1729, true},
	{FamilyPMed, "pmed16", 0, 8162, true},
	{FamilyPMed, "pmed17", 0, 6999, true},
	{FamilyPMed, "pmed18", 0, 4809, true},
	{FamilyPMed, "pmed19", 0, 2845, true},
	{FamilyPMed, "pmed20", 0, 1789, true},
	{FamilyPMed, "pmed21", 0, 9138, true},
	{FamilyPMed, "pmed22", 0, 8579, true},
	{FamilyPMed, "pmed23", 0, 4619, true},
	{FamilyPMed, "pmed24", 0, 2961, true},
	{FamilyPMed, "pmed25", 0, 1828, true},
	{FamilyPMed, "pmed26", 0, 9917, true},
	{FamilyPMed, "pmed27", 0, 8307, true},
	{FamilyPMed, "pmed28", 0, 4498, true},
	{FamilyPMed, "pmed29", 0, 3033, true},
	{FamilyPMed, "pmed30", 0, 1989, true},
	{FamilyPMed, "pmed31", 0, 10086, true},
	{FamilyPMed, "pmed32", 0, 9297, true},
	{FamilyPMed, "pmed33", 0, 4700, true},
	{FamilyPMed, "pmed34", 0, 3013, true},
	{FamilyPMed, "pmed35", 0, 10400, true},
	{FamilyPMed, "pmed36", 0, 9934, true},
	{FamilyPMed, "pmed37", 0, 5057, true},
	{FamilyPMed, "pmed38", 0, 11060, true},
	{FamilyPMed, "pmed39", 0, 9423, true},
	{FamilyPMed, "pmed40", 0, 5128, true},
	{FamilyCap, "cap41", 0, 1040444.375, true},
	{FamilyCap, "cap42", 0, 1098000.450, true},
	{FamilyCap, "cap43", 0, 1153000.450, true},
	{FamilyCap, "cap44", 0, 1235500.450, true},
	{FamilyCap, "cap51", 0, 1025208.225, true},
	{FamilyCap, "cap61", 0, 932615.750, true},
	{FamilyCap, "cap62", 0, 977799.400, true},
	{FamilyCap, "cap63", 0, 1014062.050, true},
	{FamilyCap, "cap64", 0, 1045650.250, true},
	{FamilyCap, "cap71", 0, 932615.750, true},
	{FamilyCap, "cap72", 0, 977799.400, true},
	{FamilyCap, "cap73", 0, 1010641.450, true},
	{FamilyCap, "cap74", 0, 1034976.975, true},
	{FamilyCap, "cap81", 0, 838499.288, true},
	{FamilyCap, "cap82", 0, 910889.563, true},
	{FamilyCap, "cap83", 0, 975889.563, true},
	{FamilyCap, "cap84", 0, 1069369.525, true},
	{FamilyCap, "cap91", 0, 796648.438, true},
	{FamilyCap, "cap92", 0, 855733.500, true},
	{FamilyCap, "cap93", 0, 896617.538, true},
	{FamilyCap, "cap94", 0, 946051.325, true},
	{FamilyCap, "cap101", 0, 796648.437, true},
	{FamilyCap, "cap102", 0, 854704.200, true},
	{FamilyCap, "cap103", 0, 893782.112, true},
	{FamilyCap, "cap104", 0, 928941.750, true},
	{FamilyCap, "cap111", 0, 826124.713, true},
	{FamilyCap, "cap112", 0, 901377.213, true},
	{FamilyCap, "cap113", 0, 970567.750, true},
	{FamilyCap, "cap114", 0, 1063356.488, true},
	{FamilyCap, "cap121", 0, 793439.563, true},
	{FamilyCap, "cap122", 0, 852524.625, true},
	{FamilyCap, "cap123", 0, 895302.325, true},
	{FamilyCap, "cap124", 0, 946051.325, true},
	{FamilyCap, "cap131", 0, 793439.562, true},
	{FamilyCap, "cap132", 0, 851495.325, true},
	{FamilyCap, "cap133", 0, 893076.712, true},
	{FamilyCap, "cap134", 0, 928941.750, true},
	{FamilyCap, "capa", 8000, 19240822.449, true},
	{FamilyCap, "capa", 10000, 18438046.543, true},
	{FamilyCap, "capa", 12000, 17765201.949, true},
	{FamilyCap, "capa", 14000, 17160439.012, true},
	{FamilyCap, "capb", 5000, 13656379.578, true},
	{FamilyCap, "capb", 6000, 13361927.449, true},
	{FamilyCap, "capb", 7000, 13198556.434, true},
	{FamilyCap, "capb", 8000, 13082516.496, true},
	{FamilyCap, "capc", 5000, 11646596.974, true},
	{FamilyCap, "capc", 5750, 11570340.289, true},
	{FamilyCap, "capc", 6500, 11518743.744, true},
	{FamilyCap, "capc", 7250, 11505767.394, true},
	{FamilyPMedCap, "pmedcap1_01", 0, 713, true},
	{FamilyPMedCap, "pmedcap1_02", 0, 740, true},
	{FamilyPMedCap, "pmedcap1_03", 0, 751, true},
	{FamilyPMedCap, "pmedcap1_04", 0, 651, true},
	{FamilyPMedCap, "pmedcap1_05", 0, 664, true},
	{FamilyPMedCap, "pmedcap1_06", 0, 778, true},
	{FamilyPMedCap, "pmedcap1_07", 0, 787, true},
	{FamilyPMedCap, "pmedcap1_08", 0, 820, true},
	{FamilyPMedCap, "pmedcap1_09", 0, 715, true},
	{FamilyPMedCap, "pmedcap1_10", 0, 829, true},
	{FamilyPMedCap, "pmedcap1_11", 0, 1006, true},
	{FamilyPMedCap, "pmedcap1_12", 0, 966, true},
	{FamilyPMedCap, "pmedcap1_13", 0, 1026, true},
	{FamilyPMedCap, "pmedcap1_14", 0, 982, true},
	{FamilyPMedCap, "pmedcap1_15", 0, 1091, true},
	{FamilyPMedCap, "pmedcap1_16", 0, 954, true},
	{FamilyPMedCap, "pmedcap1_17", 0, 1034, true},
	{FamilyPMedCap, "pmedcap1_18", 0, 1043, true},
	{FamilyPMedCap, "pmedcap1_19", 0, 1031, true},
	{FamilyPMedCap, "pmedcap1_20", 0, 1005, true},
	{FamilySJC, "SJC1", 0, 17288.99, true},
	{FamilySJC, "SJC2", 0, 33270.94, false},
	{FamilySJC, "SJC3a", 0, 45335.16, false},
	{FamilySJC, "SJC3b", 0, 40635.90, false},
	{FamilySJC, "SJC4a", 0, 61925.51, false},
	{FamilySJC, "SJC4b", 0, 52458.02, false},
}

// KnownValues returns the table of optimal and best known values, in the
// order pmed1–40, cap41–134, capa/b/c by capacity, pmedcap1_01–20,
// SJC1–SJC4b. The slice is a copy.
func KnownValues() []Known { return append([]Known(nil), knownValues...) }

// LookupKnown returns the known value of an instance; capacity selects the
// problem of capa, capb and capc and must be 0 for the others.
func LookupKnown(instance string, capacity float64) (Known, bool) {
	for _, k := range knownValues {
		if k.Instance == instance && k.Capacity == capacity {
			return k, true
		}
	}
	return Known{}, false
}

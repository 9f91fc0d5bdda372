package orlib

// Families of instances.
const (
	FamilyPMed    = "pmed"    // OR-Library uncapacitated p-median, pmed1–pmed40
	FamilyCap     = "cap"     // OR-Library capacitated warehouse location, cap41–cap134, capa/b/c
	FamilyPMedCap = "pmedcap" // Osman–Christofides capacitated p-median, pmedcap1_01–20
	FamilySJC     = "sjc"     // Lorena–Senne capacitated p-median, SJC1–SJC4b
	FamilyTSPLIB  = "tsplib"  // p-median on TSPLIB point sets, floored Euclidean distances
	FamilyBIRCH   = "birch"   // p-median on BIRCH point sets, real Euclidean distances
	FamilyCPMP    = "cpmp"    // Stefanello et al. capacitated p-median: p3038, lin318, ali535, pr2392
	FamilySSCFLP  = "sscflp"  // Holmberg et al. single-source capacitated facility location, p1–p71
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
	// P is the number of medians of a point set solved for several p
	// (tsplib, birch); 0 for every other instance.
	P int
}

// knownValues: the values of the data README (OR-Library pmedopt.txt and
// capopt.txt, the pmedcap1 file headers, and the SJC values used in the
// literature), cross-checked there against other sources and, for pmed1–16,
// cap41–134, pmedcap1_01–19 and SJC1, re-solved to proven optimality with
// CBC. Compare pmed and pmedcap values exactly, cap values within about
// 0.01 (capopt rounds to three decimals), SJC values within about 0.01.
var knownValues = []Known{
	{FamilyPMed, "pmed1", 0, 5819, true, 0},
	{FamilyPMed, "pmed2", 0, 4093, true, 0},
	{FamilyPMed, "pmed3", 0, 4250, true, 0},
	{FamilyPMed, "pmed4", 0, 3034, true, 0},
	{FamilyPMed, "pmed5", 0, 1355, true, 0},
	{FamilyPMed, "pmed6", 0, 7824, true, 0},
	{FamilyPMed, "pmed7", 0, 5631, true, 0},
	{FamilyPMed, "pmed8", 0, 4445, true, 0},
	{FamilyPMed, "pmed9", 0, 2734, true, 0},
	{FamilyPMed, "pmed10", 0, 1255, true, 0},
	{FamilyPMed, "pmed11", 0, 7696, true, 0},
	{FamilyPMed, "pmed12", 0, 6634, true, 0},
	{FamilyPMed, "pmed13", 0, 4374, true, 0},
	{FamilyPMed, "pmed14", 0, 2968, true, 0},
	{FamilyPMed, "pmed15", 0, 1729, true, 0},
	{FamilyPMed, "pmed16", 0, 8162, true, 0},
	{FamilyPMed, "pmed17", 0, 6999, true, 0},
	{FamilyPMed, "pmed18", 0, 4809, true, 0},
	{FamilyPMed, "pmed19", 0, 2845, true, 0},
	{FamilyPMed, "pmed20", 0, 1789, true, 0},
	{FamilyPMed, "pmed21", 0, 9138, true, 0},
	{FamilyPMed, "pmed22", 0, 8579, true, 0},
	{FamilyPMed, "pmed23", 0, 4619, true, 0},
	{FamilyPMed, "pmed24", 0, 2961, true, 0},
	{FamilyPMed, "pmed25", 0, 1828, true, 0},
	{FamilyPMed, "pmed26", 0, 9917, true, 0},
	{FamilyPMed, "pmed27", 0, 8307, true, 0},
	{FamilyPMed, "pmed28", 0, 4498, true, 0},
	{FamilyPMed, "pmed29", 0, 3033, true, 0},
	{FamilyPMed, "pmed30", 0, 1989, true, 0},
	{FamilyPMed, "pmed31", 0, 10086, true, 0},
	{FamilyPMed, "pmed32", 0, 9297, true, 0},
	{FamilyPMed, "pmed33", 0, 4700, true, 0},
	{FamilyPMed, "pmed34", 0, 3013, true, 0},
	{FamilyPMed, "pmed35", 0, 10400, true, 0},
	{FamilyPMed, "pmed36", 0, 9934, true, 0},
	{FamilyPMed, "pmed37", 0, 5057, true, 0},
	{FamilyPMed, "pmed38", 0, 11060, true, 0},
	{FamilyPMed, "pmed39", 0, 9423, true, 0},
	{FamilyPMed, "pmed40", 0, 5128, true, 0},
	{FamilyCap, "cap41", 0, 1040444.375, true, 0},
	{FamilyCap, "cap42", 0, 1098000.450, true, 0},
	{FamilyCap, "cap43", 0, 1153000.450, true, 0},
	{FamilyCap, "cap44", 0, 1235500.450, true, 0},
	{FamilyCap, "cap51", 0, 1025208.225, true, 0},
	{FamilyCap, "cap61", 0, 932615.750, true, 0},
	{FamilyCap, "cap62", 0, 977799.400, true, 0},
	{FamilyCap, "cap63", 0, 1014062.050, true, 0},
	{FamilyCap, "cap64", 0, 1045650.250, true, 0},
	{FamilyCap, "cap71", 0, 932615.750, true, 0},
	{FamilyCap, "cap72", 0, 977799.400, true, 0},
	{FamilyCap, "cap73", 0, 1010641.450, true, 0},
	{FamilyCap, "cap74", 0, 1034976.975, true, 0},
	{FamilyCap, "cap81", 0, 838499.288, true, 0},
	{FamilyCap, "cap82", 0, 910889.563, true, 0},
	{FamilyCap, "cap83", 0, 975889.563, true, 0},
	{FamilyCap, "cap84", 0, 1069369.525, true, 0},
	{FamilyCap, "cap91", 0, 796648.438, true, 0},
	{FamilyCap, "cap92", 0, 855733.500, true, 0},
	{FamilyCap, "cap93", 0, 896617.538, true, 0},
	{FamilyCap, "cap94", 0, 946051.325, true, 0},
	{FamilyCap, "cap101", 0, 796648.437, true, 0},
	{FamilyCap, "cap102", 0, 854704.200, true, 0},
	{FamilyCap, "cap103", 0, 893782.112, true, 0},
	{FamilyCap, "cap104", 0, 928941.750, true, 0},
	{FamilyCap, "cap111", 0, 826124.713, true, 0},
	{FamilyCap, "cap112", 0, 901377.213, true, 0},
	{FamilyCap, "cap113", 0, 970567.750, true, 0},
	{FamilyCap, "cap114", 0, 1063356.488, true, 0},
	{FamilyCap, "cap121", 0, 793439.563, true, 0},
	{FamilyCap, "cap122", 0, 852524.625, true, 0},
	{FamilyCap, "cap123", 0, 895302.325, true, 0},
	{FamilyCap, "cap124", 0, 946051.325, true, 0},
	{FamilyCap, "cap131", 0, 793439.562, true, 0},
	{FamilyCap, "cap132", 0, 851495.325, true, 0},
	{FamilyCap, "cap133", 0, 893076.712, true, 0},
	{FamilyCap, "cap134", 0, 928941.750, true, 0},
	{FamilyCap, "capa", 8000, 19240822.449, true, 0},
	{FamilyCap, "capa", 10000, 18438046.543, true, 0},
	{FamilyCap, "capa", 12000, 17765201.949, true, 0},
	{FamilyCap, "capa", 14000, 17160439.012, true, 0},
	{FamilyCap, "capb", 5000, 13656379.578, true, 0},
	{FamilyCap, "capb", 6000, 13361927.449, true, 0},
	{FamilyCap, "capb", 7000, 13198556.434, true, 0},
	{FamilyCap, "capb", 8000, 13082516.496, true, 0},
	{FamilyCap, "capc", 5000, 11646596.974, true, 0},
	{FamilyCap, "capc", 5750, 11570340.289, true, 0},
	{FamilyCap, "capc", 6500, 11518743.744, true, 0},
	{FamilyCap, "capc", 7250, 11505767.394, true, 0},
	{FamilyPMedCap, "pmedcap1_01", 0, 713, true, 0},
	{FamilyPMedCap, "pmedcap1_02", 0, 740, true, 0},
	{FamilyPMedCap, "pmedcap1_03", 0, 751, true, 0},
	{FamilyPMedCap, "pmedcap1_04", 0, 651, true, 0},
	{FamilyPMedCap, "pmedcap1_05", 0, 664, true, 0},
	{FamilyPMedCap, "pmedcap1_06", 0, 778, true, 0},
	{FamilyPMedCap, "pmedcap1_07", 0, 787, true, 0},
	{FamilyPMedCap, "pmedcap1_08", 0, 820, true, 0},
	{FamilyPMedCap, "pmedcap1_09", 0, 715, true, 0},
	{FamilyPMedCap, "pmedcap1_10", 0, 829, true, 0},
	{FamilyPMedCap, "pmedcap1_11", 0, 1006, true, 0},
	{FamilyPMedCap, "pmedcap1_12", 0, 966, true, 0},
	{FamilyPMedCap, "pmedcap1_13", 0, 1026, true, 0},
	{FamilyPMedCap, "pmedcap1_14", 0, 982, true, 0},
	{FamilyPMedCap, "pmedcap1_15", 0, 1091, true, 0},
	{FamilyPMedCap, "pmedcap1_16", 0, 954, true, 0},
	{FamilyPMedCap, "pmedcap1_17", 0, 1034, true, 0},
	{FamilyPMedCap, "pmedcap1_18", 0, 1043, true, 0},
	{FamilyPMedCap, "pmedcap1_19", 0, 1031, true, 0},
	{FamilyPMedCap, "pmedcap1_20", 0, 1005, true, 0},
	{FamilySJC, "SJC1", 0, 17288.99, true, 0},
	{FamilySJC, "SJC2", 0, 33270.94, false, 0},
	{FamilySJC, "SJC3a", 0, 45335.16, false, 0},
	{FamilySJC, "SJC3b", 0, 40635.90, false, 0},
	{FamilySJC, "SJC4a", 0, 61925.51, false, 0},
	{FamilySJC, "SJC4b", 0, 52458.02, false, 0},
	// Durán-Mateluna, Alès and Elloumi, "An efficient Benders decomposition
	// for the p-median problem", EJOR 308 (2023) 84–96, Tables 2–5: TSPLIB
	// point sets with floored Euclidean distances; optimal unless their
	// 10-hour limit stopped them (best known).
	{FamilyTSPLIB, "rl1304", 0, 3099073, true, 5},
	{FamilyTSPLIB, "rl1304", 0, 2134295, true, 10},
	{FamilyTSPLIB, "rl1304", 0, 1412108, true, 20},
	{FamilyTSPLIB, "rl1304", 0, 795012, true, 50},
	{FamilyTSPLIB, "rl1304", 0, 491639, true, 100},
	{FamilyTSPLIB, "rl1304", 0, 268573, true, 200},
	{FamilyTSPLIB, "rl1304", 0, 177326, true, 300},
	{FamilyTSPLIB, "rl1304", 0, 128332, true, 400},
	{FamilyTSPLIB, "rl1304", 0, 97024, true, 500},
	{FamilyTSPLIB, "fl1400", 0, 174877, true, 5},
	{FamilyTSPLIB, "fl1400", 0, 100601, true, 10},
	{FamilyTSPLIB, "fl1400", 0, 57191, true, 20},
	{FamilyTSPLIB, "fl1400", 0, 28486, true, 50},
	{FamilyTSPLIB, "fl1400", 0, 15962, true, 100},
	{FamilyTSPLIB, "fl1400", 0, 8806, true, 200},
	{FamilyTSPLIB, "fl1400", 0, 6109, true, 300},
	{FamilyTSPLIB, "fl1400", 0, 4648, true, 400},
	{FamilyTSPLIB, "fl1400", 0, 3764, false, 500},
	{FamilyTSPLIB, "u1432", 0, 1210126, true, 5},
	{FamilyTSPLIB, "u1432", 0, 849759, true, 10},
	{FamilyTSPLIB, "u1432", 0, 588766, true, 20},
	{FamilyTSPLIB, "u1432", 0, 362072, true, 50},
	{FamilyTSPLIB, "u1432", 0, 243793, true, 100},
	{FamilyTSPLIB, "u1432", 0, 159887, true, 200},
	{FamilyTSPLIB, "u1432", 0, 123689, true, 300},
	{FamilyTSPLIB, "u1432", 0, 103979, false, 400},
	{FamilyTSPLIB, "u1432", 0, 93200, true, 500},
	{FamilyTSPLIB, "vm1748", 0, 4479421, true, 5},
	{FamilyTSPLIB, "vm1748", 0, 2983645, true, 10},
	{FamilyTSPLIB, "vm1748", 0, 1899680, true, 20},
	{FamilyTSPLIB, "vm1748", 0, 1004331, true, 50},
	{FamilyTSPLIB, "vm1748", 0, 636515, true, 100},
	{FamilyTSPLIB, "vm1748", 0, 390350, true, 200},
	{FamilyTSPLIB, "vm1748", 0, 286039, true, 300},
	{FamilyTSPLIB, "vm1748", 0, 221526, true, 400},
	{FamilyTSPLIB, "vm1748", 0, 176986, true, 500},
	{FamilyTSPLIB, "pcb3038", 0, 1777835, true, 5},
	{FamilyTSPLIB, "pcb3038", 0, 1211704, true, 10},
	{FamilyTSPLIB, "pcb3038", 0, 839494, true, 20},
	{FamilyTSPLIB, "pcb3038", 0, 506339, true, 50},
	{FamilyTSPLIB, "pcb3038", 0, 351500, true, 100},
	{FamilyTSPLIB, "pcb3038", 0, 280128, true, 150},
	{FamilyTSPLIB, "pcb3038", 0, 237399, true, 200},
	{FamilyTSPLIB, "pcb3038", 0, 186833, true, 300},
	{FamilyTSPLIB, "pcb3038", 0, 156276, true, 400},
	{FamilyTSPLIB, "pcb3038", 0, 134798, true, 500},
	{FamilyTSPLIB, "rl5934", 0, 9792218, true, 10},
	{FamilyTSPLIB, "rl5934", 0, 6716215, true, 20},
	{FamilyTSPLIB, "rl5934", 0, 4029999, false, 50},
	{FamilyTSPLIB, "rl5934", 0, 1805530, true, 200},
	{FamilyTSPLIB, "rl5934", 0, 1392419, true, 300},
	{FamilyTSPLIB, "rl5934", 0, 1143940, true, 400},
	{FamilyTSPLIB, "rl5934", 0, 972799, true, 500},
	{FamilyTSPLIB, "rl5934", 0, 847301, true, 600},
	{FamilyTSPLIB, "rl5934", 0, 751131, true, 700},
	{FamilyTSPLIB, "rl5934", 0, 675958, true, 800},
	{FamilyTSPLIB, "rl5934", 0, 612629, true, 900},
	{FamilyTSPLIB, "rl5934", 0, 558167, true, 1000},
	{FamilyTSPLIB, "rl5934", 0, 511192, true, 1100},
	{FamilyTSPLIB, "rl5934", 0, 469747, true, 1200},
	{FamilyTSPLIB, "rl5934", 0, 433060, true, 1300},
	{FamilyTSPLIB, "rl5934", 0, 401370, true, 1400},
	{FamilyTSPLIB, "rl5934", 0, 373566, true, 1500},
	// The same paper, Tables 6–7: BIRCH point sets, real Euclidean
	// distances (values given to one decimal).
	{FamilyBIRCH, "ds1x1", 0, 12428.5, true, 100},
	{FamilyBIRCH, "ds1x2", 0, 18639.3, true, 100},
	{FamilyBIRCH, "ds1x3", 0, 24840.3, true, 100},
	{FamilyBIRCH, "ds1x4", 0, 11934.8, true, 64},
	// Stefanello, de Araújo and Müller (2015) collection, real Euclidean
	// distances: optimal where proven in the literature, otherwise the best
	// published heuristic value (each checked by recomputing the published
	// solution).
	{FamilyCPMP, "lin318_005", 0, 180281.2, true, 0},
	{FamilyCPMP, "lin318_015", 0, 88901.56, true, 0},
	{FamilyCPMP, "lin318_040", 0, 47988.38, true, 0},
	{FamilyCPMP, "lin318_070", 0, 32198.64, true, 0},
	{FamilyCPMP, "lin318_100", 0, 22942.69, true, 0},
	{FamilyCPMP, "ali535_005", 0, 9956.77, true, 0},
	{FamilyCPMP, "ali535_025", 0, 3695.15, false, 0},
	{FamilyCPMP, "ali535_050", 0, 2460.93, false, 0},
	{FamilyCPMP, "ali535_100", 0, 1437.62, false, 0},
	{FamilyCPMP, "ali535_150", 0, 1032.28, false, 0},
	{FamilyCPMP, "pr2392_020", 0, 2235376.73, false, 0},
	{FamilyCPMP, "pr2392_075", 0, 1092294.02, false, 0},
	{FamilyCPMP, "pr2392_150", 0, 711111.25, false, 0},
	{FamilyCPMP, "pr2392_300", 0, 458145.29, false, 0},
	{FamilyCPMP, "pr2392_500", 0, 316042.97, false, 0},
	{FamilyCPMP, "p3038_600", 0, 122710.58, false, 0},
	{FamilyCPMP, "p3038_700", 0, 109670.52, false, 0},
	{FamilyCPMP, "p3038_800", 0, 100060.05, false, 0},
	{FamilyCPMP, "p3038_900", 0, 92309.52, false, 0},
	{FamilyCPMP, "p3038_1000", 0, 85854.05, false, 0},
	// Holmberg, Rönnqvist and Yuan, EJOR 113 (1999) 544–559: single-source
	// CFLP p1–p71, optimal values.
	{FamilySSCFLP, "p1", 0, 8848, true, 0},
	{FamilySSCFLP, "p2", 0, 7913, true, 0},
	{FamilySSCFLP, "p3", 0, 9314, true, 0},
	{FamilySSCFLP, "p4", 0, 10714, true, 0},
	{FamilySSCFLP, "p5", 0, 8838, true, 0},
	{FamilySSCFLP, "p6", 0, 7777, true, 0},
	{FamilySSCFLP, "p7", 0, 9488, true, 0},
	{FamilySSCFLP, "p8", 0, 11088, true, 0},
	{FamilySSCFLP, "p9", 0, 8462, true, 0},
	{FamilySSCFLP, "p10", 0, 7617, true, 0},
	{FamilySSCFLP, "p11", 0, 8932, true, 0},
	{FamilySSCFLP, "p12", 0, 10132, true, 0},
	{FamilySSCFLP, "p13", 0, 8252, true, 0},
	{FamilySSCFLP, "p14", 0, 7137, true, 0},
	{FamilySSCFLP, "p15", 0, 8808, true, 0},
	{FamilySSCFLP, "p16", 0, 10408, true, 0},
	{FamilySSCFLP, "p17", 0, 8227, true, 0},
	{FamilySSCFLP, "p18", 0, 7125, true, 0},
	{FamilySSCFLP, "p19", 0, 8886, true, 0},
	{FamilySSCFLP, "p20", 0, 10486, true, 0},
	{FamilySSCFLP, "p21", 0, 8068, true, 0},
	{FamilySSCFLP, "p22", 0, 7092, true, 0},
	{FamilySSCFLP, "p23", 0, 8746, true, 0},
	{FamilySSCFLP, "p24", 0, 10273, true, 0},
	{FamilySSCFLP, "p25", 0, 11630, true, 0},
	{FamilySSCFLP, "p26", 0, 10771, true, 0},
	{FamilySSCFLP, "p27", 0, 12322, true, 0},
	{FamilySSCFLP, "p28", 0, 13722, true, 0},
	{FamilySSCFLP, "p29", 0, 12371, true, 0},
	{FamilySSCFLP, "p30", 0, 11331, true, 0},
	{FamilySSCFLP, "p31", 0, 13331, true, 0},
	{FamilySSCFLP, "p32", 0, 15331, true, 0},
	{FamilySSCFLP, "p33", 0, 11629, true, 0},
	{FamilySSCFLP, "p34", 0, 10632, true, 0},
	{FamilySSCFLP, "p35", 0, 12232, true, 0},
	{FamilySSCFLP, "p36", 0, 13832, true, 0},
	{FamilySSCFLP, "p37", 0, 11258, true, 0},
	{FamilySSCFLP, "p38", 0, 10551, true, 0},
	{FamilySSCFLP, "p39", 0, 11824, true, 0},
	{FamilySSCFLP, "p40", 0, 13024, true, 0},
	{FamilySSCFLP, "p41", 0, 6589, true, 0},
	{FamilySSCFLP, "p42", 0, 5663, true, 0},
	{FamilySSCFLP, "p43", 0, 5214, true, 0},
	{FamilySSCFLP, "p44", 0, 7028, true, 0},
	{FamilySSCFLP, "p45", 0, 6251, true, 0},
	{FamilySSCFLP, "p46", 0, 5651, true, 0},
	{FamilySSCFLP, "p47", 0, 6228, true, 0},
	{FamilySSCFLP, "p48", 0, 5596, true, 0},
	{FamilySSCFLP, "p49", 0, 5302, true, 0},
	{FamilySSCFLP, "p50", 0, 8741, true, 0},
	{FamilySSCFLP, "p51", 0, 7414, true, 0},
	{FamilySSCFLP, "p52", 0, 9178, true, 0},
	{FamilySSCFLP, "p53", 0, 8531, true, 0},
	{FamilySSCFLP, "p54", 0, 8777, true, 0},
	{FamilySSCFLP, "p55", 0, 7654, true, 0},
	{FamilySSCFLP, "p56", 0, 21103, true, 0},
	{FamilySSCFLP, "p57", 0, 26039, true, 0},
	{FamilySSCFLP, "p58", 0, 37239, true, 0},
	{FamilySSCFLP, "p59", 0, 27282, true, 0},
	{FamilySSCFLP, "p60", 0, 20534, true, 0},
	{FamilySSCFLP, "p61", 0, 24454, true, 0},
	{FamilySSCFLP, "p62", 0, 32643, true, 0},
	{FamilySSCFLP, "p63", 0, 25105, true, 0},
	{FamilySSCFLP, "p64", 0, 20530, true, 0},
	{FamilySSCFLP, "p65", 0, 24445, true, 0},
	{FamilySSCFLP, "p66", 0, 31415, true, 0},
	{FamilySSCFLP, "p67", 0, 24848, true, 0},
	{FamilySSCFLP, "p68", 0, 20538, true, 0},
	{FamilySSCFLP, "p69", 0, 24532, true, 0},
	{FamilySSCFLP, "p70", 0, 32321, true, 0},
	{FamilySSCFLP, "p71", 0, 25540, true, 0},
}

// KnownValues returns the table of optimal and best known values, in the
// order pmed1–40, cap41–134, capa/b/c by capacity, pmedcap1_01–20,
// SJC1–SJC4b, the TSPLIB and BIRCH point sets by p, the Stefanello CPMP
// instances and Holmberg p1–p71. The slice is a copy.
func KnownValues() []Known { return append([]Known(nil), knownValues...) }

// LookupKnown returns the known value of an instance; capacity selects the
// problem of capa, capb and capc and must be 0 for the others. For the
// point sets solved for several p, see LookupKnownP.
func LookupKnown(instance string, capacity float64) (Known, bool) {
	for _, k := range knownValues {
		if k.Instance == instance && k.Capacity == capacity && k.P == 0 {
			return k, true
		}
	}
	return Known{}, false
}

// LookupKnownP returns the known value of a point set (tsplib, birch) for
// p medians.
func LookupKnownP(instance string, p int) (Known, bool) {
	for _, k := range knownValues {
		if k.Instance == instance && k.P == p && p > 0 {
			return k, true
		}
	}
	return Known{}, false
}

package main

import (
	"net/http"
	"sort"
)

// lang returns the language a request asks for (?lang=fr, else English).
func lang(r *http.Request) string {
	if r.URL.Query().Get("lang") == "fr" {
		return "fr"
	}
	return "en"
}

// tr returns the text of key in a language, the English one when the
// language lacks it, and the key itself when neither has it.
func tr(lg, key string) string {
	if t, ok := dictionary[key]; ok {
		if s := t[lg]; s != "" {
			return s
		}
		return t["en"]
	}
	return key
}

// dictionary holds every text of the page and the reports, by key, in
// English and French.
var dictionary = map[string]map[string]string{
	"app.title":              {"en": "GST planner", "fr": "Planificateur GST"},
	"app.subtitle":           {"en": "Plan a Territorial Health Group: where to offer services, how to pool staff.", "fr": "Planifier un Groupement Sanitaire Territorial : où offrir les services, comment mutualiser le personnel."},
	"lang.switch":            {"en": "Français", "fr": "English"},
	"region":                 {"en": "Region", "fr": "Région"},
	"region.upload":          {"en": "Upload a region (zip of a region directory)", "fr": "Téléverser une région (zip d'un dossier de région)"},
	"region.uploaded":        {"en": "Region read", "fr": "Région lue"},
	"region.summary":         {"en": "%d communes, %d establishments, %s people", "fr": "%d communes, %d établissements, %s habitants"},
	"question":               {"en": "Question", "fr": "Question"},
	"q.locate":               {"en": "Where to open or close a service", "fr": "Où ouvrir ou fermer un service"},
	"q.pool":                 {"en": "Pool staff between establishments", "fr": "Mutualiser le personnel entre établissements"},
	"f.name":                 {"en": "Scenario name", "fr": "Nom du scénario"},
	"f.name.help":            {"en": "A label for comparisons and reports.", "fr": "Un libellé pour les comparaisons et les rapports."},
	"f.service":              {"en": "Service", "fr": "Service"},
	"f.service.help":         {"en": "The service located (default: caesarean section).", "fr": "Le service à localiser (par défaut : césarienne)."},
	"f.objective":            {"en": "Objective", "fr": "Objectif"},
	"f.objective.help":       {"en": "What the plan optimises: least total travel (p-median), shortest longest trip (p-center), most demand within the standard (max coverage), least cost of sites and travel (fixed charge).", "fr": "Ce que le plan optimise : le moins de trajet total (p-médiane), le plus long trajet le plus court (p-centre), le plus de demande dans la norme (couverture maximale), le moindre coût des sites et des trajets (coût fixe)."},
	"f.changes":              {"en": "Number of changes", "fr": "Nombre de changements"},
	"f.changes.help":         {"en": "Most sites opened plus closed (default 1; -1: no limit).", "fr": "Au plus tant de sites ouverts plus fermés (par défaut 1 ; -1 : sans limite)."},
	"f.max_travel":           {"en": "Maximum travel (minutes)", "fr": "Trajet maximal (minutes)"},
	"f.max_travel.help":      {"en": "Every commune must be served within this one-way time (0: no limit).", "fr": "Chaque commune doit être desservie en moins de ce temps aller (0 : sans limite)."},
	"f.budget":               {"en": "Budget (MAD)", "fr": "Budget (MAD)"},
	"f.budget.help":          {"en": "Bound on opening and closing costs, in dirhams (0: none).", "fr": "Plafond des coûts d'ouverture et de fermeture, en dirhams (0 : aucun)."},
	"f.capacity":             {"en": "Capacity rule", "fr": "Règle de capacité"},
	"f.capacity.help":        {"en": "Uncapacitated (default); split: a commune's demand may go to several sites within their capacities; single: one site per commune.", "fr": "Sans capacité (par défaut) ; partagée : la demande d'une commune peut aller à plusieurs sites dans leurs capacités ; unique : un site par commune."},
	"f.year":                 {"en": "Year", "fr": "Année"},
	"f.year.help":            {"en": "Project the population to this year (0: the census year).", "fr": "Projeter la population à cette année (0 : l'année du recensement)."},
	"f.time_limit":           {"en": "Time limit (seconds)", "fr": "Limite de temps (secondes)"},
	"f.time_limit.help":      {"en": "The solve stops after this time with the best plan found (default 30 s).", "fr": "Le calcul s'arrête après ce temps avec le meilleur plan trouvé (par défaut 30 s)."},
	"f.commute":              {"en": "Commute limit (minutes)", "fr": "Trajet maximal du personnel (minutes)"},
	"f.commute.help":         {"en": "Longest one-way trip of staff working away from home (default 60).", "fr": "Plus long trajet aller du personnel travaillant hors de son établissement (par défaut 60)."},
	"f.away":                 {"en": "Share away", "fr": "Part détachée"},
	"f.away.help":            {"en": "Largest share of a cadre's staff who may work elsewhere, 0 to 1 (default 0.5).", "fr": "Plus grande part du personnel d'un corps pouvant travailler ailleurs, de 0 à 1 (par défaut 0,5)."},
	"f.granularity":          {"en": "Granularity", "fr": "Granularité"},
	"f.granularity.help":     {"en": "Unit of a move: half-day sessions a week (default), whole posts, or any fraction of a full-time equivalent.", "fr": "Unité d'un déplacement : demi-journées par semaine (par défaut), postes entiers, ou toute fraction d'équivalent temps plein."},
	"obj.p-median":           {"en": "least total travel (p-median)", "fr": "moindre trajet total (p-médiane)"},
	"obj.p-center":           {"en": "shortest longest trip (p-center)", "fr": "plus long trajet le plus court (p-centre)"},
	"obj.max-coverage":       {"en": "most demand within the standard", "fr": "demande maximale dans la norme"},
	"obj.fixed-charge":       {"en": "least cost of sites and travel", "fr": "moindre coût des sites et des trajets"},
	"cap.uncapacitated":      {"en": "uncapacitated", "fr": "sans capacité"},
	"cap.split":              {"en": "split demand", "fr": "demande partagée"},
	"cap.single":             {"en": "single site", "fr": "site unique"},
	"gran.sessions":          {"en": "sessions", "fr": "demi-journées"},
	"gran.posts":             {"en": "posts", "fr": "postes"},
	"gran.continuous":        {"en": "continuous", "fr": "continue"},
	"btn.run":                {"en": "Run", "fr": "Lancer"},
	"btn.cancel":             {"en": "Cancel", "fr": "Annuler"},
	"btn.compare":            {"en": "Compare selected", "fr": "Comparer la sélection"},
	"btn.save":               {"en": "Save scenario", "fr": "Enregistrer le scénario"},
	"btn.load":               {"en": "Load scenario", "fr": "Charger un scénario"},
	"run.running":            {"en": "Solving…", "fr": "Calcul en cours…"},
	"run.busy":               {"en": "The planner is busy; try again in a few seconds.", "fr": "Le planificateur est occupé ; réessayez dans quelques secondes."},
	"run.failed":             {"en": "No answer", "fr": "Pas de réponse"},
	"prog.value":             {"en": "best plan", "fr": "meilleur plan"},
	"prog.bound":             {"en": "bound", "fr": "borne"},
	"prog.gap":               {"en": "gap", "fr": "écart"},
	"prog.elapsed":           {"en": "elapsed", "fr": "temps écoulé"},
	"ans.figures":            {"en": "Key figures", "fr": "Chiffres clés"},
	"ans.today":              {"en": "today", "fr": "aujourd'hui"},
	"ans.plan":               {"en": "with the plan", "fr": "avec le plan"},
	"ans.status":             {"en": "Status", "fr": "Statut"},
	"ans.value":              {"en": "Value", "fr": "Valeur"},
	"ans.bound":              {"en": "Proven bound", "fr": "Borne prouvée"},
	"ans.gap":                {"en": "Gap", "fr": "Écart"},
	"ans.method":             {"en": "Method", "fr": "Méthode"},
	"ans.decisions":          {"en": "Decisions and their reasons", "fr": "Décisions et leurs raisons"},
	"ans.no_change":          {"en": "The plan changes no site.", "fr": "Le plan ne change aucun site."},
	"ans.reverse":            {"en": "cost of reversing", "fr": "coût de l'inversion"},
	"ans.reverse_exact":      {"en": "re-solved", "fr": "recalculé"},
	"ans.reverse_bound":      {"en": "at least", "fr": "au moins"},
	"ans.reverse_inf":        {"en": "no plan satisfies the rules without it", "fr": "aucun plan ne respecte les règles sans elle"},
	"ans.groups":             {"en": "Travel by group (one-way minutes)", "fr": "Trajets par groupe (minutes aller)"},
	"ans.group":              {"en": "group", "fr": "groupe"},
	"ans.mean":               {"en": "mean", "fr": "moyenne"},
	"ans.p90":                {"en": "90th percentile", "fr": "90e centile"},
	"ans.beyond":             {"en": "beyond the standard", "fr": "au-delà de la norme"},
	"ans.deprived":           {"en": "most-deprived 20%", "fr": "20 % les plus défavorisés"},
	"ans.notes":              {"en": "Notes", "fr": "Remarques"},
	"ans.export":             {"en": "Export", "fr": "Exporter"},
	"ans.capacity":           {"en": "Marginal value of capacity", "fr": "Valeur marginale de la capacité"},
	"map.title":              {"en": "Map", "fr": "Carte"},
	"map.before":             {"en": "Travel today", "fr": "Trajet aujourd'hui"},
	"map.after":              {"en": "Travel with the plan", "fr": "Trajet avec le plan"},
	"map.diff":               {"en": "Difference (B − A)", "fr": "Différence (B − A)"},
	"map.lines":              {"en": "assignment lines", "fr": "lignes d'affectation"},
	"map.legend":             {"en": "one-way minutes to the serving site", "fr": "minutes aller jusqu'au site desservant"},
	"map.opens":              {"en": "opens", "fr": "ouvre"},
	"map.closes":             {"en": "closes", "fr": "ferme"},
	"map.stays":              {"en": "open", "fr": "ouvert"},
	"map.unmet":              {"en": "unmet need (FTE)", "fr": "besoin non couvert (ETP)"},
	"map.boundaries":         {"en": "Communes drawn with their boundaries.", "fr": "Communes dessinées avec leurs limites."},
	"map.voronoi":            {"en": "Communes drawn as the Voronoi cells of their centroids (the region has no boundaries).", "fr": "Communes dessinées comme cellules de Voronoï de leurs centroïdes (la région n'a pas de limites)."},
	"map.mixed":              {"en": "Communes drawn with their boundaries where known, else as Voronoi cells.", "fr": "Communes dessinées avec leurs limites quand elles sont connues, sinon en cellules de Voronoï."},
	"cmp.title":              {"en": "Compare scenarios", "fr": "Comparer des scénarios"},
	"cmp.help":               {"en": "Tick two or more answers in the list, then compare.", "fr": "Cochez au moins deux réponses dans la liste, puis comparez."},
	"cmp.scenarios":          {"en": "Scenarios", "fr": "Scénarios"},
	"change.opens":           {"en": "opens", "fr": "ouvre"},
	"change.closes":          {"en": "closes", "fr": "ferme"},
	"change.stays":           {"en": "stays", "fr": "reste"},
	"change.receives":        {"en": "receives staff", "fr": "reçoit du personnel"},
	"status.optimal":         {"en": "optimal", "fr": "optimal"},
	"status.feasible":        {"en": "feasible", "fr": "réalisable"},
	"status.time limit":      {"en": "time limit", "fr": "limite de temps"},
	"status.canceled":        {"en": "cancelled (best plan kept)", "fr": "annulé (meilleur plan conservé)"},
	"fig.mean_travel":        {"en": "Mean travel", "fr": "Trajet moyen"},
	"fig.p90_travel":         {"en": "90th percentile of travel", "fr": "90e centile du trajet"},
	"fig.max_travel":         {"en": "Longest travel", "fr": "Trajet le plus long"},
	"fig.beyond_standard":    {"en": "Demand beyond the standard", "fr": "Demande au-delà de la norme"},
	"fig.unserved":           {"en": "Demand not served", "fr": "Demande non desservie"},
	"fig.sites_open":         {"en": "Sites open", "fr": "Sites ouverts"},
	"fig.objective":          {"en": "Objective", "fr": "Objectif"},
	"fig.change_cost":        {"en": "Opening and closing costs", "fr": "Coûts d'ouverture et de fermeture"},
	"fig.need":               {"en": "Staff need", "fr": "Besoin en personnel"},
	"fig.unmet":              {"en": "Unmet need", "fr": "Besoin non couvert"},
	"fig.weighted_unmet":     {"en": "Weighted unmet need", "fr": "Besoin non couvert pondéré"},
	"fig.short_sites":        {"en": "Establishment-cadre pairs short of staff", "fr": "Couples établissement-corps en déficit"},
	"ans.sweep":              {"en": "How many changes?", "fr": "Combien de changements ?"},
	"ans.sweep.help":         {"en": "The same question answered with at most 0, 1, 2, … changes: where the gains stop, and what each step costs. A change is made only when it improves the objective.", "fr": "La même question avec au plus 0, 1, 2, … changements : où les gains s'arrêtent, et ce que coûte chaque étape. Un changement n'est fait que s'il améliore l'objectif."},
	"sweep.changes":          {"en": "changes allowed", "fr": "changements permis"},
	"sweep.plan":             {"en": "best plan", "fr": "meilleur plan"},
	"sweep.today":            {"en": "today's sites", "fr": "les sites d'aujourd'hui"},
	"sweep.none":             {"en": "no plan", "fr": "aucun plan"},
	"rep.warnings":           {"en": "Check the data first: %d places of the region look wrong (gst.Region.Check); the plan is computed from them as they are.", "fr": "Vérifiez d'abord les données : %d lieux de la région semblent erronés (gst.Region.Check) ; le plan est calculé avec eux tels quels."},
	"fig.moves":              {"en": "Moves (cadre, home, host)", "fr": "Déplacements (corps, origine, accueil)"},
	"unit.moves":             {"en": "moves", "fr": "déplacements"},
	"note.pool_value":        {"en": "Unmet need is valued at %s MAD a week per FTE (the weekly cost of the cheapest cadre, %s); a move costs %s MAD a week whatever its size and carries at least %d session a week: a move is made only where it pays.", "fr": "Le besoin non couvert est valorisé à %s MAD par semaine et par ETP (le coût hebdomadaire du corps le moins cher, %s) ; un déplacement coûte %s MAD par semaine quelle que soit sa taille et porte au moins %d demi-journée par semaine : un déplacement n'est fait que s'il est rentable."},
	"fig.moved_fte":          {"en": "Staff working away", "fr": "Personnel détaché"},
	"fig.travel_week":        {"en": "Staff travel", "fr": "Trajets du personnel"},
	"fig.cost_week":          {"en": "Cost of the moves", "fr": "Coût des déplacements"},
	"unit.minutes":           {"en": "min", "fr": "min"},
	"unit.share":             {"en": "%", "fr": "%"},
	"unit.demand":            {"en": "demand", "fr": "demande"},
	"unit.sites":             {"en": "sites", "fr": "sites"},
	"unit.mad":               {"en": "MAD", "fr": "MAD"},
	"unit.fte":               {"en": "FTE", "fr": "ETP"},
	"unit.weighted_fte":      {"en": "weighted FTE", "fr": "ETP pondérés"},
	"unit.pairs":             {"en": "pairs", "fr": "couples"},
	"unit.minutes_week":      {"en": "min/week", "fr": "min/semaine"},
	"unit.mad_week":          {"en": "MAD/week", "fr": "MAD/semaine"},
	"unit.p-median":          {"en": "weighted minutes", "fr": "minutes pondérées"},
	"unit.p-center":          {"en": "minutes", "fr": "minutes"},
	"unit.weighted-p-center": {"en": "weighted minutes", "fr": "minutes pondérées"},
	"unit.set-covering":      {"en": "sites", "fr": "sites"},
	"unit.max-coverage":      {"en": "demand covered", "fr": "demande couverte"},
	"unit.backup-coverage":   {"en": "demand covered twice", "fr": "demande couverte deux fois"},
	"unit.fixed-charge":      {"en": "MAD", "fr": "MAD"},
	"title.locate":           {"en": "Where to offer %s (%s)", "fr": "Où offrir : %s (%s)"},
	"ask.locate":             {"en": "Where should %s be offered in %s? Objective: %s.", "fr": "Où offrir %s dans la région %s ? Objectif : %s."},
	"title.pool":             {"en": "Staff pooling in %s (commute up to %g min, %g%% away, %s)", "fr": "Mutualisation du personnel, %s (trajet jusqu'à %g min, %g %% détachés, %s)"},
	"ask.pool":               {"en": "Which staff should work where in %s, so that the least need is left unmet?", "fr": "Quel personnel doit travailler où dans la région %s, pour laisser le moins de besoins non couverts ?"},
	"obj.weighted-p-center":  {"en": "shortest largest weighted trip", "fr": "plus grand trajet pondéré le plus court"},
	"obj.set-covering":       {"en": "fewest sites covering every commune", "fr": "moins de sites couvrant chaque commune"},
	"obj.backup-coverage":    {"en": "most demand covered twice", "fr": "demande maximale couverte deux fois"},
	"rep.question":           {"en": "Question", "fr": "Question"},
	"rep.region":             {"en": "Region", "fr": "Région"},
	"rep.people":             {"en": "people", "fr": "habitants"},
	"rep.computed":           {"en": "Computed by the gst planner (module github.com/gstplan/gst).", "fr": "Calculé par le planificateur gst (module github.com/gstplan/gst)."},
	"rep.optimisation":       {"en": "The optimisation", "fr": "L'optimisation"},
	"rep.sources":            {"en": "Sources and licences", "fr": "Sources et licences"},
	"rep.moves":              {"en": "Moves of staff", "fr": "Déplacements du personnel"},
	"rep.category":           {"en": "cadre", "fr": "corps"},
	"rep.from":               {"en": "from", "fr": "de"},
	"rep.to":                 {"en": "to", "fr": "vers"},
	"rep.site":               {"en": "site", "fr": "site"},
	"rep.change":             {"en": "change", "fr": "changement"},
	"rep.figure":             {"en": "figure", "fr": "indicateur"},
	"rep.unit":               {"en": "unit", "fr": "unité"},
	"rep.synthetic":          {"en": "Establishments' capacities and staff are synthetic (see the region's README); travel is estimated from straight-line distance, not a road network.", "fr": "Les capacités et le personnel des établissements sont synthétiques (voir le README de la région) ; les trajets sont estimés à partir de la distance à vol d'oiseau, non d'un réseau routier."},
}

// dictFor returns the dictionary of one language, keys sorted in JSON.
func dictFor(lg string) map[string]string {
	keys := make([]string, 0, len(dictionary))
	for k := range dictionary {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make(map[string]string, len(keys))
	for _, k := range keys {
		out[k] = tr(lg, k)
	}
	return out
}

func (s *Server) handleI18n(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, dictFor(lang(r)))
}

// Package pathway follows patients along referral pathways across care
// levels and judges a plan by the whole journey, not by the first contact
// alone.
//
// A plan that brings the health centre closer but sends every complication
// 200 km away has not helped. This package makes the journey the unit of
// judgement: from population and incidence it derives the annual volume
// of every step of every pathway, and for a plan (where each area is
// served for each service) it measures the travel of every step, per
// episode and per year, by area, province, population segment, setting,
// deprivation, care level and step.
//
// In short:
//
//	set := pathway.Defaults()                            // or ReadJSON, or your own
//	flows, err := pathway.ComputeFlows(region, set, nil) // volumes for capacity and allocate
//	plan := pathway.Plan{Name: "current", Assignment: asg}
//	ev, err := pathway.Evaluate(ctx, region, set, plan, nil)
//	err = ev.WriteText(os.Stdout)                        // or read ev's figures
//
// # Pathways
//
// A Pathway is the journey of one kind of episode (a pregnancy, an
// emergency, a year of diabetes care…). People at risk in an area are its
// population or one of its segments; episodes per year are people at risk
// × IncidencePer1000 / 1,000. A Step names the service it uses (the root
// package keys demand and assignments by service) and the lowest care
// level that delivers it, with:
//
//   - Probability: the probability of reaching the step given that the
//     episode reached its Parent (conditional), or, for an entry step
//     without a parent, per episode. Parents make referral trees (delivery
//     → caesarean); Pathway.Reach multiplies along the chain.
//   - VisitsPerEpisode: visits a year per patient reaching the step.
//   - TelemedicineShare: the share of those visits delivered remotely.
//   - StandardMinutes: the longest acceptable one-way travel.
//
// Defaults returns documented pathways for maternal care (antenatal
// contacts, delivery, caesarean referral), emergency care, road trauma,
// diabetes follow-up, dialysis, cancer care and child health, each figure
// with its source or labelled a planning assumption. A user defines
// pathways in code or reads them from JSON (ReadJSON, WriteJSON).
// Set.Validate and Set.ValidateFor report every problem at once as
// *gst.ValidationError values: probabilities outside [0, 1], negative
// visits, duplicate IDs, unknown parents, referral cycles, a service or
// level that no establishment of the region offers.
//
// # Flows
//
// ComputeFlows returns the annual episodes and visits of every step for
// every area, totals by step, level and pathway, and two gst.DemandTable
// values: Demand (visits by area and service, for capacity and allocate)
// and Weights (in-person visits × trip factor, the travel weight of each
// area and service).
//
// # Evaluation
//
// Evaluate judges a Plan (a gst.Assignment and optionally a travel
// matrix; without one, travel comes from the region's matrix and an
// estimator). Each in-person visit is a trip from the patient's home area
// to the establishment serving the step's service and back (Options.OneWay
// counts one leg); remote visits travel nothing. A referred patient's trips
// are counted from home too, not from the referring establishment: an
// assignment says where an area's people are served, and transfers between
// establishments are outside the model. Demand the assignment
// leaves unserved and demand sent to an establishment the matrix cannot
// reach are never counted as zero or infinite travel: they are left out of
// the travel totals, counted in every figure and listed row by row.
// Compare (or Diff) sets two plans side by side with the differences, and
// WhatIfTelemedicine measures the travel saved when steps' telemedicine
// shares change.
//
// # Optimising along pathways
//
// Location models live in the allocate package; this package supplies
// what they need as root types. Weights (or Flows.Weights) gives, for each
// area and service, the weight w(a, s) = Σ over steps using s of in-person
// visits × trip factor. A model that minimises
//
//	Σ_a Σ_s w(a, s) × Σ_e share(a, s, e) × minutes(a, e)
//
// judges sites by the whole pathway (area → health centre → hospital →
// CHU) rather than by the first contact. WeightedTravel computes that sum
// for any assignment from root types only, and it equals
// Evaluation.Objective, so both sides can be checked against each other.
//
// # Units
//
// Incidence is per 1,000 people at risk per year; volumes are per year;
// travel is in minutes and kilometres, one way per leg; shares and
// probabilities are fractions in [0, 1].
//
// # Concurrency and determinism
//
// The functions of this package do not modify their inputs and may run
// concurrently on the same region, set and plan. Results are deterministic:
// areas are processed in ID order, breakdowns are sorted (areas and
// provinces by ID, pathways and steps in the set's order), and no map
// order leaks into a result, so shuffling the region's areas or
// establishments changes nothing.
package pathway

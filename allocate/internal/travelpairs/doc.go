// Package travelpairs finds the pairs of places within a travel limit of
// each other, without a full travel matrix: the candidate moves of staff
// pooling (homes with staff to spare to hosts that may be short) and the
// candidate flows of activity transfer (origins of demand to providers).
//
// A leg comes from a gst.TravelSource: its override matrix, then the
// region's matrix, then the estimator. Estimated legs are found through a
// grid: no estimated leg is faster than the great-circle distance × the
// circuity at the higher of the two speeds, so only the sites within that
// radius are estimated. Matrix legs are read from the matrices' entries.
//
// Find does not heed a context: it is quick, and a plan without moves
// needs it too. It is deterministic: pairs come sorted by origin, then
// destination.
//
// # Units, concurrency and determinism
//
// Travel is in minutes and kilometres one way, as the source gives it.
// Find reads its arguments and keeps no state, so calls may run at the
// same time.
package travelpairs

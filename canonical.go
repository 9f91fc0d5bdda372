package gst

import "sort"

// canonical puts the records of a region read from files in the order of
// their IDs, whatever the order of the rows: provinces, areas,
// establishments, services and categories by ID, each area's segments by
// name, each establishment's offers by service and staff by category, and
// the attribution lines in byte order. The same data then gives the same
// region, and every output made from it is the same byte for byte. The
// source map (when there is one) follows the records, so problems found
// later still name their file and line. It reindexes the region.
func (r *Region) canonical(src *sourceMap) {
	sort.Strings(r.Attribution)
	permute := func(file string, n int, less func(i, j int) bool) []int {
		idx := make([]int, n)
		for i := range idx {
			idx[i] = i
		}
		sort.SliceStable(idx, func(a, b int) bool { return less(idx[a], idx[b]) })
		if src != nil {
			if ls := src.lines[file]; len(ls) == n {
				src.lines[file] = reorder(ls, idx)
			}
		}
		return idx
	}
	idx := permute(fileProvinces, len(r.Provinces), func(i, j int) bool { return r.Provinces[i].ID < r.Provinces[j].ID })
	r.Provinces = reorder(r.Provinces, idx)
	idx = permute(fileServices, len(r.Services), func(i, j int) bool { return r.Services[i].ID < r.Services[j].ID })
	r.Services = reorder(r.Services, idx)
	idx = permute(fileCategories, len(r.Categories), func(i, j int) bool { return r.Categories[i].ID < r.Categories[j].ID })
	r.Categories = reorder(r.Categories, idx)

	idx = permute(fileAreas, len(r.Areas), func(i, j int) bool { return r.Areas[i].ID < r.Areas[j].ID })
	r.Areas = reorder(r.Areas, idx)
	reorderNested(src, fileSegments, idx)
	for i := range r.Areas {
		a := &r.Areas[i]
		sub := order(len(a.Segments), func(x, y int) bool { return a.Segments[x].Name < a.Segments[y].Name })
		a.Segments = reorder(a.Segments, sub)
		reorderChildren(src, fileSegments, i, sub)
	}

	idx = permute(fileEstablishments, len(r.Establishments), func(i, j int) bool { return r.Establishments[i].ID < r.Establishments[j].ID })
	r.Establishments = reorder(r.Establishments, idx)
	reorderNested(src, fileOffers, idx)
	reorderNested(src, fileStaff, idx)
	for i := range r.Establishments {
		e := &r.Establishments[i]
		sub := order(len(e.Offers), func(x, y int) bool { return e.Offers[x].Service < e.Offers[y].Service })
		e.Offers = reorder(e.Offers, sub)
		reorderChildren(src, fileOffers, i, sub)
		sub = order(len(e.Staff), func(x, y int) bool { return e.Staff[x].Category < e.Staff[y].Category })
		e.Staff = reorder(e.Staff, sub)
		reorderChildren(src, fileStaff, i, sub)
	}
	r.Reindex()
}

// order returns the stable sorting permutation of n records.
func order(n int, less func(i, j int) bool) []int {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return less(idx[a], idx[b]) })
	return idx
}

// reorder returns the records in the order idx gives (nil stays nil).
func reorder[T any](s []T, idx []int) []T {
	if s == nil {
		return nil
	}
	out := make([]T, len(s))
	for k, i := range idx {
		out[k] = s[i]
	}
	return out
}

// reorderNested moves the child lines of a file with their parents.
func reorderNested(src *sourceMap, file string, idx []int) {
	if src == nil {
		return
	}
	if ns := src.nested[file]; len(ns) == len(idx) {
		src.nested[file] = reorder(ns, idx)
	}
}

// reorderChildren moves the lines of one parent's children with them.
func reorderChildren(src *sourceMap, file string, parent int, sub []int) {
	if src == nil {
		return
	}
	if ns := src.nested[file]; parent < len(ns) && len(ns[parent]) == len(sub) {
		ns[parent] = reorder(ns[parent], sub)
	}
}

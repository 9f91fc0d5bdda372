package gst

import (
	"fmt"
	"strings"
)

// AreaID identifies an Area (a catchment: commune, village or grid cell).
type AreaID string

// EstablishmentID identifies an Establishment, existing or candidate.
type EstablishmentID string

// ServiceID identifies a Service (maternity, dialysis, emergency…).
type ServiceID string

// CategoryID identifies a staff Category (a cadre: midwife, anaesthetist…).
type CategoryID string

// ProvinceID identifies a Province (province or prefecture).
type ProvinceID string

// Level is the care level of an establishment. Patients enter at the
// lowest level and are referred up. The zero value is not a valid level.
type Level int

// The care levels, lowest first.
const (
	// HealthCentre is a primary health-care establishment (ESSP: rural or
	// urban health centre, dispensary).
	HealthCentre Level = iota + 1
	// LocalHospital is a local or proximity hospital.
	LocalHospital
	// ProvincialHospital is a provincial or prefectural hospital (CHP).
	ProvincialHospital
	// RegionalHospital is a regional hospital (CHR).
	RegionalHospital
	// UniversityHospital is a university hospital (CHU), which leads a GST.
	UniversityHospital
)

// Levels lists every valid level, lowest first.
var Levels = []Level{HealthCentre, LocalHospital, ProvincialHospital, RegionalHospital, UniversityHospital}

var levelCodes = [...]string{"", "essp", "local", "provincial", "regional", "chu"}

// String returns the level's code as used in files: essp, local,
// provincial, regional or chu.
func (l Level) String() string {
	if l.Valid() {
		return levelCodes[l]
	}
	return fmt.Sprintf("Level(%d)", int(l))
}

// Valid reports whether l is one of the five levels.
func (l Level) Valid() bool { return l >= HealthCentre && l <= UniversityHospital }

// ParseLevel reads a level code (essp, local, provincial, regional, chu;
// case-insensitive; the long forms "health-centre", "local-hospital",
// "provincial-hospital", "regional-hospital", "university-hospital" are
// accepted too).
func ParseLevel(s string) (Level, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "essp", "health-centre", "health_centre", "healthcentre", "hc":
		return HealthCentre, nil
	case "local", "local-hospital", "local_hospital", "hp":
		return LocalHospital, nil
	case "provincial", "provincial-hospital", "provincial_hospital", "chp":
		return ProvincialHospital, nil
	case "regional", "regional-hospital", "regional_hospital", "chr":
		return RegionalHospital, nil
	case "chu", "university", "university-hospital", "university_hospital":
		return UniversityHospital, nil
	}
	return 0, fmt.Errorf("%w: unknown level %q (want essp, local, provincial, regional or chu)", ErrInvalid, s)
}

// MarshalText encodes the level as its code.
func (l Level) MarshalText() ([]byte, error) {
	if !l.Valid() {
		return nil, fmt.Errorf("%w: level %d is not valid", ErrInvalid, int(l))
	}
	return []byte(l.String()), nil
}

// UnmarshalText decodes a level code.
func (l *Level) UnmarshalText(b []byte) error {
	v, err := ParseLevel(string(b))
	if err != nil {
		return err
	}
	*l = v
	return nil
}

// Ownership says whether an establishment is public or a private partner.
type Ownership int

// The ownerships. The zero value is Public.
const (
	Public Ownership = iota
	Private
)

// String returns "public" or "private".
func (o Ownership) String() string {
	switch o {
	case Public:
		return "public"
	case Private:
		return "private"
	}
	return fmt.Sprintf("Ownership(%d)", int(o))
}

// ParseOwnership reads "public" or "private" (case-insensitive; an empty
// string is public).
func ParseOwnership(s string) (Ownership, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "public":
		return Public, nil
	case "private":
		return Private, nil
	}
	return 0, fmt.Errorf("%w: unknown ownership %q (want public or private)", ErrInvalid, s)
}

// MarshalText encodes the ownership as "public" or "private".
func (o Ownership) MarshalText() ([]byte, error) {
	if o != Public && o != Private {
		return nil, fmt.Errorf("%w: ownership %d is not valid", ErrInvalid, int(o))
	}
	return []byte(o.String()), nil
}

// UnmarshalText decodes "public" or "private".
func (o *Ownership) UnmarshalText(b []byte) error {
	v, err := ParseOwnership(string(b))
	if err != nil {
		return err
	}
	*o = v
	return nil
}

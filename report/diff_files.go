package report

// DiffInput is a report.json read for comparison: the report without its
// accounts, and of each account only what Diff compares. Two reports of a
// million accounts read this way compare in a few hundred megabytes rather
// than several gigabytes.
type DiffInput struct {
	*Report
	users, devices *accountViews
}

// LoadForDiff reads a report.json account by account for DiffInputs. What it
// accepts, and every error, is LoadReport's.
func LoadForDiff(path string) (*DiffInput, error) {
	r, users, devices, err := previousReport(path)
	if err != nil {
		return nil, err
	}
	return &DiffInput{Report: r, users: users, devices: devices}, nil
}

// DiffInputs is Diff on two reports read by LoadForDiff.
func DiffInputs(older, newer *DiffInput) *Changes {
	return diffReports(older.Report, older.users, older.devices, newer.Report, newer.users.accounts(), newer.devices.accounts())
}

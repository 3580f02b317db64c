package rules

// deviceRank is the Windows Server CAL version device k needs: with usage
// evidence, the newest version its users need; without, the newest of all
// servers, as no directory records which device reaches which server.
func (e *evaluation) deviceRank(k int) int {
	users, ok := e.usage.usersOf(k)
	if !ok {
		return e.access.topRank
	}
	rank := -1
	for _, u := range users {
		rank = max(rank, int(e.userWin[u]))
	}
	return rank
}

// assignMix chooses per user and device which CAL it gets (R3, §5). Every
// (user, device) access in the usage evidence must be covered by a User CAL
// for the user or a Device CAL for the device; the fewest CALs that do so is
// a minimum vertex cover of the bipartite access graph. Users and devices
// without evidence get mixed_default's type.
func (e *evaluation) assignMix() {
	g, users, devices := e.accessGraph()
	var userCAL, deviceCAL []bool
	if g != nil {
		userCAL, deviceCAL = g.minVertexCover()
	}
	inGraphUser := make(map[int32]int32, len(users)) // Result.Users index -> left vertex
	for l, k := range users {
		inGraphUser[k] = int32(l)
	}
	mix := &Mix{UsageCSV: e.p.UsageCSV, Default: e.defaultModel(), UsersWithEvidence: len(users), DevicesWithEvidence: len(devices)}
	if e.usage != nil {
		mix.Pairs, mix.PairsIgnored = e.usage.pairs, e.usage.ignored
	}
	for k := range e.userRows {
		if e.userWin[k] < 0 {
			continue
		}
		mix.AllUser++
		l, evidence := inGraphUser[int32(k)]
		if (evidence && userCAL[l]) || (!evidence && mix.Default == ModelUser) {
			setCAL(&e.userRows[k], CALUser, int(e.userWin[k]))
			mix.UserCALs++
		}
	}
	right := 0
	for k := range e.deviceRows {
		if !e.deviceRows[k].Counted || e.access.topRank < 0 {
			continue
		}
		mix.AllDevice++
		evidence := right < len(devices) && devices[right] == int32(k)
		if evidence {
			if rank := e.coveredDeviceRank(k, inGraphUser, userCAL); deviceCAL[right] && rank >= 0 {
				setCAL(&e.deviceRows[k], CALDevice, rank)
				mix.DeviceCALs++
			}
			right++
			continue
		}
		if rank := e.deviceRank(k); mix.Default == ModelDevice && rank >= 0 {
			setCAL(&e.deviceRows[k], CALDevice, rank)
			mix.DeviceCALs++
		}
	}
	mix.Total = mix.UserCALs + mix.DeviceCALs
	mix.Saving = min(mix.AllUser, mix.AllDevice) - mix.Total
	e.res.Mix = mix
}

// coveredDeviceRank is the version a Device CAL in the mix needs: the newest
// version among the users on it whose access it covers (those without a User CAL).
func (e *evaluation) coveredDeviceRank(k int, leftOf map[int32]int32, userCAL []bool) int {
	users, _ := e.usage.usersOf(k)
	rank := -1
	for _, u := range users {
		if l, ok := leftOf[u]; ok && !userCAL[l] {
			rank = max(rank, int(e.userWin[u]))
		}
	}
	return rank
}

// accessGraph builds the bipartite graph of the usage evidence between
// counted users who need a Windows Server CAL and counted devices; users
// and devices list the Result indices of its left and right vertices, in
// Result order, so the outcome does not depend on the order of the file.
func (e *evaluation) accessGraph() (g *bipartite, users, devices []int32) {
	ev := e.usage
	if ev == nil || ev.pairs == 0 {
		return nil, nil, nil
	}
	left := make(map[int32]int32)
	for k := range e.deviceRows {
		ds, _ := ev.usersOf(k)
		hasEdge := false
		for _, u := range ds {
			if e.userWin[u] < 0 {
				continue
			}
			hasEdge = true
			if _, ok := left[u]; !ok {
				left[u] = 0
			}
		}
		if hasEdge {
			devices = append(devices, int32(k))
		}
	}
	for k := range e.userRows {
		if _, ok := left[int32(k)]; ok {
			left[int32(k)] = int32(len(users))
			users = append(users, int32(k))
		}
	}
	degree := make([]int32, len(users)+1)
	for _, k := range devices {
		ds, _ := ev.usersOf(int(k))
		for _, u := range ds {
			if e.userWin[u] >= 0 {
				degree[left[u]+1]++
			}
		}
	}
	for l := range users {
		degree[l+1] += degree[l]
	}
	g = &bipartite{nRight: len(devices), start: degree, adj: make([]int32, degree[len(users)])}
	fill := make([]int32, len(users))
	copy(fill, degree[:len(users)])
	for r, k := range devices {
		ds, _ := ev.usersOf(int(k))
		for _, u := range ds {
			if e.userWin[u] >= 0 {
				l := left[u]
				g.adj[fill[l]] = int32(r)
				fill[l]++
			}
		}
	}
	return g, users, devices
}

func (e *evaluation) defaultModel() Model {
	if e.calType == CALDevice {
		return ModelDevice
	}
	return ModelUser
}

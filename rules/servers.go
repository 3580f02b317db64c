package rules

import (
	"strings"

	"github.com/calscan/calscan/scanner"
)

// Server sources.
const (
	SourceDirectory       = "directory"
	SourceConfig          = "config"
	SourceDirectoryConfig = "directory+config"
)

// serverConfigs finds the [[server]] block for a computer by name.
type serverConfigs struct {
	blocks  []ServerConfig
	byName  map[string]int // lower-cased name -> index in blocks (first wins)
	matched []bool
}

func newServerConfigs(blocks []ServerConfig) *serverConfigs {
	sc := &serverConfigs{blocks: blocks, byName: map[string]int{}, matched: make([]bool, len(blocks))}
	for i, b := range blocks {
		key := strings.ToLower(strings.TrimSpace(b.Name))
		if _, dup := sc.byName[key]; !dup && key != "" {
			sc.byName[key] = i
		}
	}
	return sc
}

// match looks the computer up by its name, its dNSHostName and the first
// label of its dNSHostName, and marks the block used.
func (sc *serverConfigs) match(c *computerRecord) (*ServerConfig, bool) {
	if len(sc.byName) == 0 {
		return nil, false
	}
	host, _, _ := strings.Cut(c.dnsName(), ".")
	var buf [64]byte
	for _, key := range [...]string{c.name(), c.dnsName(), host} {
		if key == "" {
			continue
		}
		if i, ok := sc.byName[string(appendLower(buf[:0], key))]; ok {
			sc.matched[i] = true
			return &sc.blocks[i], true
		}
	}
	return nil, false
}

// isServer: a server OS, a domain controller, or named in a [[server]] block.
// Everything else is a client device (R10 keeps servers out of that count).
func isServer(info scanner.OSInfo, c *computerRecord, configured bool) bool {
	switch info.Family {
	case scanner.OSWindowsServer, scanner.OSHyperVServer, scanner.OSSamba:
		return true
	}
	return configured || c.uac&(scanner.UACServerTrust|scanner.UACPartialSecretsAccount) != 0
}

// directoryServer is what the directory says about a server, before any
// [[server]] override.
func directoryServer(info scanner.OSInfo, c *computerRecord) Server {
	s := Server{
		Name:                   c.name(),
		Domain:                 c.domain,
		DNSName:                c.dnsName(),
		OperatingSystem:        c.os,
		OperatingSystemVersion: c.osVersion,
		Version:                info.Release,
		DomainController:       c.uac&(scanner.UACServerTrust|scanner.UACPartialSecretsAccount) != 0,
		Source:                 SourceDirectory,
	}
	switch info.Family {
	case scanner.OSSamba, scanner.OSOther:
		s.Edition, s.Version = EditionNone, ""
	case scanner.OSHyperVServer:
		s.Edition = EditionHyperV
	case scanner.OSWindowsServer:
		s.Edition = Edition(info.Edition)
	}
	return s
}

// applyConfig overrides what the directory says with a [[server]] block.
func applyConfig(s *Server, cfg *ServerConfig) {
	if cfg.Edition != "" {
		s.Edition = cfg.Edition
	}
	if cfg.Release != "" {
		s.Version = cfg.Release
	}
	s.RDS = cfg.RDS
	s.RDSLicensing = cfg.RDSLicensing
	s.AccessGroup = strings.TrimSpace(cfg.AccessGroup)
	s.ExternalConnector = cfg.ExternalConnector
	s.RDSExternalConnector = cfg.RDSExternalConnector
	s.Cores, s.Processors, s.VMs = cfg.Cores, cfg.Processors, cfg.VMs
}

func configServer(cfg *ServerConfig) Server {
	s := Server{Name: cfg.Name, Source: SourceConfig}
	applyConfig(&s, cfg)
	return s
}

// editionNeedsCALs: Standard, Datacenter and the older editions sold with
// CALs (R1). An unknown edition, and Storage Server, are counted to be safe.
// Essentials and Foundation (R8), Web, Hyper-V Server (R9) and non-Windows
// servers need none.
func editionNeedsCALs(e Edition) bool {
	switch e {
	case EditionStandard, EditionDatacenter, EditionEnterprise, EditionStorage, "":
		return true
	}
	return false
}

// decideServer sets NeedsCALs, CALVersion and Note once the edition,
// version and exclusion are final.
func decideServer(s *Server, info scanner.OSInfo) {
	s.NeedsCALs = s.Excluded == ReasonNone && editionNeedsCALs(s.Edition) && knownRelease(s.Version)
	if s.NeedsCALs {
		s.CALVersion = CALVersionOf(s.Version)
	}
	s.Note = serverNote(s, info)
}

func serverNote(s *Server, info scanner.OSInfo) string {
	var notes []string
	switch s.Edition {
	case "":
		notes = append(notes, "Edition unknown: counted as needing CALs to be safe; set edition in a [[server]] block if that is wrong.")
	case EditionStorage:
		notes = append(notes, "Windows Storage Server: counted as needing CALs to be safe; if its licence needs none, set edition = \"none\" in a [[server]] block.")
	case EditionWeb:
		notes = append(notes, "Web Server edition: public web workloads need no CALs.")
	case EditionEssentials:
		notes = append(notes, "Essentials: needs no CALs, but allows at most 25 users and 50 devices (R8).")
	case EditionFoundation:
		notes = append(notes, "Foundation: needs no CALs, but allows at most 15 users (R8).")
	case EditionHyperV:
		notes = append(notes, "Hyper-V Server: needs no CALs of its own; its guests set the CAL version (R9).")
	case EditionNone:
		if info.Family == scanner.OSSamba {
			notes = append(notes, "Samba domain controller: not Windows, needs no Windows Server CAL.")
		} else {
			notes = append(notes, "Needs no Windows Server CAL.")
		}
	}
	if editionNeedsCALs(s.Edition) && !knownRelease(s.Version) {
		notes = append(notes, "Version unknown: it does not set the CAL version; set version in a [[server]] block.")
	}
	if s.Edition == EditionStandard && s.Version == "2008 R2" && strings.Contains(strings.ToLower(s.OperatingSystem), "small business") {
		notes = append(notes, "Small Business Server 2011: licensed as Windows Server 2008 R2 with CALs.")
	}
	if info.Evaluation {
		notes = append(notes, "Evaluation edition.")
	}
	if s.DomainController && s.AccessGroup != "" {
		notes = append(notes, "Domain controller: every user authenticates against it (R6), so access_group does not limit who needs a CAL for it.")
	}
	if info.AzureEdition {
		notes = append(notes, "Azure Edition: if it runs in Azure with the licence included, it may need no CALs; set edition = \"none\" in a [[server]] block if so.")
	}
	return strings.Join(notes, " ")
}

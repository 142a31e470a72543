package supervise

import (
	"fmt"
	"os"
)

// SpawnIndexer starts the search indexer on dir in the background and
// returns its pid. The indexer runs on its own; nobody waits for it.
func SpawnIndexer(bin, dir string) (int, error) {
	// BUG cmdwait (os.StartProcess without Wait): Release only drops the
	// handle; on Unix every indexer that exits stays a zombie until the
	// service does. Fix: go p.Wait() instead of p.Release().
	p, err := os.StartProcess(bin, []string{bin, dir}, &os.ProcAttr{
		Dir:   dir,
		Files: []*os.File{nil, os.Stderr, os.Stderr},
	})
	if err != nil {
		return 0, fmt.Errorf("start indexer: %w", err)
	}
	pid := p.Pid
	p.Release()
	return pid, nil
}

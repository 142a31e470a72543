// Command mediad prints what the demo media service knows about media files
// and a content repository.
//
//	mediad [-ffprobe path] [-repo dir] file...
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"

	"example.com/demo/gitrepo"
	"example.com/demo/media"
)

func main() {
	ffprobe := flag.String("ffprobe", "ffprobe", "the ffprobe `binary`")
	repo := flag.String("repo", "", "print the last commits of the git repository in `dir`")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	for _, path := range flag.Args() {
		info, err := media.Probe(ctx, *ffprobe, path)
		if err != nil {
			log.Print(err)
			continue
		}
		fmt.Printf("%s: %s, %s s, %s bytes\n", path, info.Format.Name, info.Format.Duration, info.Format.Size)
	}
	if *repo != "" {
		commits, err := (&gitrepo.Repo{Dir: *repo}).Log(ctx, 10)
		if err != nil {
			log.Print(err)
			return
		}
		for _, c := range commits {
			fmt.Println(c)
		}
	}
}

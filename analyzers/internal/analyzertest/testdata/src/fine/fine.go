package fine

import "fmt"

func F() { fmt.Println("x") }

package broken

import "fmt"

func F() { fmt.Println("x") }

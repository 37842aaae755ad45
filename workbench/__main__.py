from workbench.cli import main

if __name__ == "__main__":  # helper processes (spawned to segment Chinese) import this module too
    main()

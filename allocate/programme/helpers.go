package programme

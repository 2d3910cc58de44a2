// A menu button on React Aria Components: a real ARIA menu (role=menu, menuitem) that opens on
// Enter, Space or ArrowDown with focus on its first item, moves with the arrows, and closes on Escape,
// Tab, a choice or a click anywhere else, giving focus back to its button.
import { useState, type ReactNode } from 'react';
import { Button, Menu, MenuItem, MenuTrigger, Popover } from 'react-aria-components';

export interface MenuAction {
  id: string;
  label: ReactNode;
  /** The item's accessible name when its label is not plain text. */
  textValue: string;
  disabled?: boolean;
}

export function ActionsMenu({
  label,
  actions,
  onAction,
}: {
  label: string;
  actions: MenuAction[];
  onAction(id: string): void;
}) {
  const [open, setOpen] = useState(false);
  return (
    <MenuTrigger isOpen={open} onOpenChange={setOpen}>
      <Button className="btn">{label}</Button>
      <Popover placement="bottom start" className="menu-popover" offset={4}>
        {/* Tab leaves the menu and closes it, as the ARIA menu pattern says (React Aria keeps focus in). */}
        <div
          onKeyDownCapture={(e) => {
            if (e.key === 'Tab') setOpen(false);
          }}
        >
          <Menu
            className="menu-list"
            aria-label={label}
            shouldFocusWrap
            disabledKeys={actions.filter((a) => a.disabled).map((a) => a.id)}
            onAction={(key) => onAction(String(key))}
          >
            {actions.map((a) => (
              <MenuItem key={a.id} id={a.id} className="menu-item" textValue={a.textValue}>
                {a.label}
              </MenuItem>
            ))}
          </Menu>
        </div>
      </Popover>
    </MenuTrigger>
  );
}
